"""The CRF baseline: token features (``features``), the tagger (``extractor.Crf``), attribute
and role classifiers (``attribute_model``, ``role_model``, ``classifiers``).

Offsets are half-open ``[start, end)`` code-point indices into the document text.
``Crf`` is imported lazily, so that importing a submodule does not load scikit-learn.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Crf"]


def __getattr__(name: str) -> Any:
    if name == "Crf":
        from baselines.crf.extractor import Crf

        return Crf
    raise AttributeError(f"module 'baselines.crf' has no attribute {name!r}")
