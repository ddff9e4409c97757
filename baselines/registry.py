"""The baseline extractors by name."""

from __future__ import annotations

from typing import Callable

from baselines.base import Extractor
from baselines.crf import Crf
from baselines.gazetteer import Gazetteer
from baselines.rules import Rules

EXTRACTORS: dict[str, Callable[[], Extractor]] = {"gazetteer": Gazetteer, "rules": Rules, "crf": Crf}
NAMES = tuple(EXTRACTORS)


def make(name: str) -> Extractor:
    """A fresh, unfitted extractor called ``name``; ``KeyError`` names the known ones."""
    if name not in EXTRACTORS:
        raise KeyError(f"unknown baseline {name!r}; the baselines are {', '.join(NAMES)}")
    return EXTRACTORS[name]()


def is_learned(name: str) -> bool:
    return hasattr(EXTRACTORS[name], "fit")
