"""A deterministic classifier over feature dictionaries (scikit-learn logistic regression).

Copes with the tiny training sets of leave-one-out folds: with no examples it predicts
nothing (None), with a single class it predicts that class; otherwise a
``DictVectorizer`` and a ``LogisticRegression`` with a fixed ``random_state``. A
prediction can be restricted to allowed classes (e.g. the roles a label may fill).
"""

from __future__ import annotations

from typing import Collection, Sequence

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

SEED = 0


class Classifier:
    """Logistic regression over feature dicts with the small-data fallbacks above."""

    def __init__(self, c: float = 1.0, class_weight: str | None = None, seed: int = SEED) -> None:
        self.c, self.class_weight, self.seed = c, class_weight, seed
        self.classes: tuple[str, ...] = ()
        self.vectorizer: DictVectorizer | None = None
        self.model: LogisticRegression | None = None

    def fit(self, features: Sequence[dict], labels: Sequence[str]) -> Classifier:
        self.classes = tuple(sorted(set(labels)))
        self.vectorizer = self.model = None
        if len(self.classes) > 1:
            self.vectorizer = DictVectorizer(sort=True)
            matrix = self.vectorizer.fit_transform(features)
            self.model = LogisticRegression(C=self.c, class_weight=self.class_weight, max_iter=5000,
                                            random_state=self.seed)
            self.model.fit(matrix, list(labels))
        return self

    def predict(self, features: Sequence[dict], allowed: Sequence[Collection[str] | None] | None = None
                ) -> list[str | None]:
        """The most probable class of each example among its allowed classes (None if none is)."""
        if not features:
            return []
        allowed = allowed or [None] * len(features)
        if self.model is None:
            only = self.classes[0] if self.classes else None
            return [only if only is not None and (ok is None or only in ok) else None for ok in allowed]
        probabilities = self.model.predict_proba(self.vectorizer.transform(features))
        classes = [str(c) for c in self.model.classes_]
        out = []
        for row, ok in zip(probabilities, allowed):
            mask = np.array([ok is None or c in ok for c in classes])
            out.append(classes[int(np.argmax(np.where(mask, row, -1.0)))] if mask.any() else None)
        return out
