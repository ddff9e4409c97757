"""Argument assignment by proximity: each role takes the nearest compatible entity of the sentence.

Offsets are half-open ``[start, end)`` code-point indices. Which role an entity can fill
is decided by a ``role_of(entity, trigger)`` function; ``RoleMap`` learns one from
training events (the most frequent role per entity label, side of the trigger and, for
casualties, status), restricted to the fillers the schema allows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Callable, Sequence

from benchmark.model import Annotation, Argument, Entity, Span
from benchmark.schema import Schema

RoleOf = Callable[[Entity, Span], "str | None"]


def distance(a: Span, b: Span) -> int:
    """Characters between two spans (0 when they touch or overlap)."""
    return max(a.start - b.end, b.start - a.end, 0)


def side(entity: Span, trigger: Span) -> str:
    return "before" if entity.end <= trigger.start else "after"


def nearest_arguments(trigger: Span, candidates: Sequence[Entity], role_of: RoleOf) -> tuple[Argument, ...]:
    """For every role, the argument filled by the nearest candidate that ``role_of`` gives that role."""
    best: dict[str, tuple[int, int, Entity]] = {}
    for order, entity in enumerate(candidates):
        role = role_of(entity, trigger)
        if role is None:
            continue
        key = (distance(entity.span, trigger), order)
        if role not in best or key < best[role][:2]:
            best[role] = (*key, entity)
    return tuple(Argument(role, entity.span) for role, (_, _, entity) in sorted(best.items()))


def _key(entity: Entity, trigger: Span) -> tuple:
    status = entity.attrs.get("status") if entity.label == "CASUALTY" else None
    return entity.label, side(entity.span, trigger), status


@dataclass
class RoleMap:
    """Most frequent training role per (label, side, status), backing off to per label.

    A label never seen as an argument in training fills no role.
    """

    schema: Schema
    by_key: dict[tuple, str] = field(default_factory=dict)
    by_label: dict[str, str] = field(default_factory=dict)

    @classmethod
    def learn(cls, train: Sequence[Annotation], schema: Schema) -> RoleMap:
        by_key: dict[tuple, Counter] = defaultdict(Counter)
        by_label: dict[str, Counter] = defaultdict(Counter)
        for annotation in train:
            for event in annotation.events:
                for argument in event.arguments:
                    entity = annotation.entity_at(argument.span)
                    if entity is None:
                        continue
                    by_key[_key(entity, event.trigger)][argument.role] += 1
                    by_label[entity.label][argument.role] += 1
        pick = lambda counter: counter.most_common(1)[0][0]
        return cls(schema, {k: pick(c) for k, c in by_key.items()}, {k: pick(c) for k, c in by_label.items()})

    def __call__(self, entity: Entity, trigger: Span) -> str | None:
        allowed = {role for spec in self.schema.event_types for role, fillers in spec.roles if entity.label in fillers}
        role = self.by_key.get(_key(entity, trigger)) or self.by_label.get(entity.label)
        return role if role in allowed else None
