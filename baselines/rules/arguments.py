"""Syntax-free argument rules of the rules baseline (token positions of one sentence).

For one trigger ``(token_start, token_end)`` and the entities of its sentence: every
casualty fills KILLED or INJURED by its status (``unspecified`` fills nothing); the
nearest weapon is the INSTRUMENT; an actor after "by" is the ATTACKER; an actor or
location after "on/at/against/into" following the trigger is the TARGET; a location
after "in/near/outside/from" is the PLACE; before an active trigger the nearest actor
is the ATTACKER (adjacent for a noun trigger), before a passive one the TARGET; the
entity right after a transitive attack verb is its TARGET. Each role keeps its nearest
candidate, and a span fills at most one role per event.
"""

from __future__ import annotations

from typing import Mapping, Sequence

from benchmark.model import Argument, Entity

from baselines.rules import lexicon as lx


SKIPPED = frozenset((*lx.DETERMINERS, "’s", "'s", "-", "northern", "southern", "eastern", "western", "central"))


def _marker(words: Sequence[str], i: int) -> str:
    k = i - 1
    while k >= 0 and words[k].lower() in SKIPPED:
        k -= 1
    return words[k].lower() if k >= 0 else ""


def arguments(words: Sequence[str], trigger: tuple[int, int], spans: Mapping[tuple[int, int], Entity]
              ) -> tuple[Argument, ...]:
    """The arguments of one trigger among the entities of its sentence (see the module docstring)."""
    t0, t1 = trigger
    last = words[t1 - 1].lower()
    verb = last in lx.OBJECT_VERBS or last.endswith("ed")
    passive = any(w.lower() in lx.PASSIVE_AUXILIARIES for w in words[max(0, t0 - 2):t0])
    best: dict[str, tuple[int, Entity]] = {}
    found: list[Argument] = []

    def offer(role: str, gap: int, entity: Entity) -> None:
        if role not in best or gap < best[role][0]:
            best[role] = (gap, entity)

    first_after = min((i for i, _ in spans if i >= t1), default=None)
    killing = last in lx.KILLING_TRIGGERS
    for (i, j), entity in spans.items():
        before = j <= t0
        gap = t0 - j if before else i - t1
        marker = _marker(words, i)
        if entity.label == "CASUALTY":
            role = {"killed": "KILLED", "injured": "INJURED"}.get(entity.attrs.get("status"))
            if role:
                found.append(Argument(role, entity.span))
        elif entity.label == "WEAPON":
            offer("INSTRUMENT", gap, entity)
        elif killing and entity.label == "ACTOR" and (
                before and gap <= 1 and words[j] in ("’s", "'s") or not before and marker == "of"
                or not before and i == first_after and gap <= 3):
            offer("KILLED", gap, entity)
        elif marker in lx.ATTACKER_MARKERS and entity.label == "ACTOR":
            offer("ATTACKER", gap, entity)
        elif marker in lx.TARGET_MARKERS and not before:
            offer("TARGET", gap, entity)
        elif marker in lx.PLACE_MARKERS and entity.label == "LOCATION":
            offer("PLACE", gap, entity)
        elif before and passive and gap <= 8:
            offer("TARGET", gap, entity)
        elif (before and entity.label == "ACTOR" and gap <= (8 if verb else 1)
              and marker not in lx.LOCATIVE_PREPOSITIONS
              and not any(w.lower() in lx.SPEECH_VERBS for w in words[j:t0])):
            offer("ATTACKER", gap, entity)
        elif i == first_after and gap <= 3 and verb:
            offer("TARGET", gap, entity)
    return tuple(found) + tuple(Argument(role, entity.span) for role, (_, entity) in sorted(best.items()))
