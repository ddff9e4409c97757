"""The extractors by name, as installed packages declare them (entry-point group ``iraq_attacks.extractors``).

Each entry point names a class (or any callable) that makes a fresh, unfitted extractor:
``gazetteer = "baselines.gazetteer:Gazetteer"`` in this project's ``pyproject.toml``.
Another package adds an extractor by declaring one in the same group; ``iraq-attacks
baselines`` then runs it too. Names are read from the installed metadata without
importing any extractor; an extractor's module is imported when it is made.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import EntryPoint, entry_points
from typing import Callable

from baselines.common.base import Extractor

GROUP = "iraq_attacks.extractors"
SHIPPED = ("gazetteer", "rules", "crf")  # the order of the README's results table


class RegistryError(LookupError):
    """No extractor of that name is installed (the message says how to fix it)."""


@cache
def _entries() -> dict[str, EntryPoint]:
    found = {entry.name: entry for entry in entry_points(group=GROUP)}
    order = [n for n in SHIPPED if n in found] + sorted(n for n in found if n not in SHIPPED)
    return {name: found[name] for name in order}


def names() -> tuple[str, ...]:
    """The installed extractors: the shipped baselines in table order, then the others by name."""
    return tuple(_entries())


def factory(name: str) -> Callable[[], Extractor]:
    """What makes a fresh extractor ``name`` (its module is imported here)."""
    entries = _entries()
    if name not in entries:
        if not entries:
            raise RegistryError(f"no extractor is installed in the entry-point group {GROUP!r}: "
                                "reinstall the package (`pip install -e .`)")
        raise RegistryError(f"unknown baseline {name!r}; the baselines are {', '.join(entries)}")
    return entries[name].load()


def make(name: str) -> Extractor:
    """A fresh, unfitted extractor called ``name``."""
    return factory(name)()


def is_learned(name: str) -> bool:
    return hasattr(factory(name), "fit")
