"""The rules baseline: lexicons (``lexicon``), patterns (``patterns``), their resolution in
context (``resolve``), arguments (``arguments``), the extractor (``extractor.Rules``) and
its incident records (``incidents``).

Offsets are half-open ``[start, end)`` code-point indices into the document text.
``Rules`` is imported lazily, so that ``baselines.rules.lexicon`` does not load spaCy.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Rules"]


def __getattr__(name: str) -> Any:
    if name == "Rules":
        from baselines.rules.extractor import Rules

        return Rules
    raise AttributeError(f"module 'baselines.rules' has no attribute {name!r}")
