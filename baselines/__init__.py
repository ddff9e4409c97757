"""Baseline extractors for the iraq-attacks benchmark (a separate package: ``benchmark`` never imports it).

Every extractor turns ``benchmark.model.Document``s into ``benchmark.model.Annotation``
predictions (offsets: half-open ``[start, end)`` code points) with a streaming
``extract``; learned ones are ``fit`` on gold annotations and evaluated leave one
document out (``baselines.common.crossval``). ``gazetteer`` memorises training strings,
``rules`` is hand-written spaCy patterns (an optimistic reference), ``crf`` is a
linear-chain CRF with logistic-regression attributes and arguments. Names are imported
lazily so that ``import baselines`` stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "Extractor": "baselines.common.base", "Learned": "baselines.common.base", "Gazetteer": "baselines.gazetteer",
    "Rules": "baselines.rules.extractor", "Crf": "baselines.crf.extractor", "leave_one_out": "baselines.common.crossval",
    "predict_gold": "baselines.run", "run_all": "baselines.run", "BatchPredictor": "baselines.hfmap",
    "map_predictions": "baselines.hfmap", "make": "baselines.registry", "names": "baselines.registry",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'baselines' has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)
