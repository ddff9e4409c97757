"""Incidents of the rules baseline: keys on its event mentions and ACLED-style records (SPEC 1.3).

Offsets are half-open ``[start, end)`` code-point indices into the document text. For
every predicted ``ATTACK`` mention:

- **date**: the date expression of its sentence nearest to the trigger, resolved
  against the document's publication date (``metadata["published"]``: ``YYYY-MM-DD``,
  ``YYYY-MM`` or ``YYYY``). "yesterday", "last night" are the day before; "today",
  "this morning", "tonight" the day itself; a weekday ("Monday") the latest such day on
  or before it; "last week" the month of the day a week before (month precision); "last
  month", "this month", "earlier this month" a month; "15 February" / "February 15" /
  "Feb. 15" (year: the latest not after publication) a day; "March 2021" or "in early
  March" a month. A relative expression against a publication date known only to the
  month gives that month. A mention whose sentence has no date expression has no date.
- **place**: the text of its ``PLACE`` argument, else of a ``TARGET`` that is a named
  ``LOCATION`` (capitalised), canonicalised by ``canonical_names.json`` when it is there.
- **attackers**: its capitalised ``ATTACKER`` arguments, canonicalised the same way.
- **weapons** and **tolls**: the ``weapon_class`` of its ``INSTRUMENT`` arguments; the
  summed ``count`` of its ``KILLED`` and ``INJURED`` casualty arguments.

Mentions with a date and a place are merged, within and across documents, when their
places are equal (ignoring case) and one date is a prefix of the other (a month-only
date joins the one day-precise incident of that month and place, if there is exactly
one); a mention with a place but no date joins its document's only incident at that
place, one with a date but no place its document's only incident of that date. Every
other mention gets no key. An incident's record takes the finest date, the union of
attackers and weapon classes, and the lowest toll any mention gives (ACLED's rule);
``country`` is the place's country when the lexicon knows it (Iraq's cities and
governorates, countries, capitals), else ``null``.

Canonical names come from ``annotations/canonical_names.json`` (``{"attackers": {alias:
canonical}, "places": {alias: canonical}}``) when that file exists, else names stay as
written: nothing here is copied from the gold.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from msgspec.structs import replace

from benchmark.model import Annotation, Document, Event, Span, to_attributes

from baselines.common.text import sentences
from baselines.rules import lexicon as lx

MONTHS = {name.lower(): n for n, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): n for n, name in enumerate(calendar.month_abbr) if name}
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): n for n, name in enumerate(calendar.day_name)}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
DATE_PATTERNS = [
    ("day_month", re.compile(r"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+" + _MONTH + r"(?:,?\s+(?P<year>(?:19|20)\d\d))?\b",
                             re.I)),
    ("month_day", re.compile(r"\b" + _MONTH + r"\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>(?:19|20)\d\d))?",
                             re.I)),
    ("month_year", re.compile(r"\b" + _MONTH + r",?\s+(?P<year>(?:19|20)\d\d)\b", re.I)),
    ("in_month", re.compile(r"\b(?:in|since|during)\s+(?:early|mid|late\s+)?-?\s*" + _MONTH + r"\b", re.I)),
    ("weekday", re.compile(r"\b(?P<weekday>" + "|".join(WEEKDAYS) + r")\b", re.I)),
    ("yesterday", re.compile(r"\b(?:yesterday|last night)\b", re.I)),
    ("today", re.compile(r"\b(?:today|this morning|this afternoon|this evening|tonight)\b", re.I)),
    ("last_week", re.compile(r"\blast week\b", re.I)),
    ("last_month", re.compile(r"\blast month\b", re.I)),
    ("this_month", re.compile(r"\b(?:earlier )?this month\b", re.I)),
]
CAPITAL_COUNTRIES = {"Damascus": "Syria", "Tehran": "Iran", "Beirut": "Lebanon", "Washington": "United States"}
COUNTRY_NAMES = {"US": "United States", "U.S": "United States", "U.S.": "United States", "USA": "United States",
                 "America": "United States", "UK": "United Kingdom", "Britain": "United Kingdom",
                 "UAE": "United Arab Emirates"}


@dataclass(frozen=True)
class Date:
    """A date to its precision: ``value`` is ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``."""

    value: str

    @property
    def precision(self) -> str:
        return {10: "day", 7: "month", 4: "year"}[len(self.value)]

    def covers(self, other: Date) -> bool:
        """One is a prefix of the other: the same day, or a day in this month or year."""
        return self.value.startswith(other.value) or other.value.startswith(self.value)


def _day(day: dt.date) -> Date:
    return Date(day.isoformat())


def _month(year: int, month: int) -> Date:
    return Date(f"{year:04d}-{month:02d}")


def resolve_date(kind: str, match: Mapping[str, str | None], published: str) -> Date | None:
    """The date an expression of ``kind`` gives against the publication date ``published``."""
    parts = [int(p) for p in published.split("-")]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else None
    today = dt.date(*parts) if len(parts) == 3 else None
    if kind in ("day_month", "month_day", "month_year", "in_month"):
        number = MONTHS[match["month"].lower().rstrip(".")]
        if match.get("year"):
            year_of = int(match["year"])
        else:  # the latest such month not after publication
            year_of = year - 1 if month is not None and number > month else year
        if kind in ("month_year", "in_month"):
            return _month(year_of, number)
        try:
            return _day(dt.date(year_of, number, int(match["day"])))
        except ValueError:
            return None
    if month is None:
        return None  # a relative date against a year says nothing finer than the year
    if today is None:
        if kind == "last_month":
            return _month(year - (month == 1), 12 if month == 1 else month - 1)
        return _month(year, month)  # the publication month is all that is known
    if kind == "yesterday":
        return _day(today - dt.timedelta(days=1))
    if kind == "today":
        return _day(today)
    if kind == "weekday":
        back = (today.weekday() - WEEKDAYS[match["weekday"].lower()]) % 7
        return _day(today - dt.timedelta(days=back))
    if kind == "last_week":
        earlier = today - dt.timedelta(days=7)
        return _month(earlier.year, earlier.month)
    if kind == "last_month":
        first = today.replace(day=1) - dt.timedelta(days=1)
        return _month(first.year, first.month)
    if kind == "this_month":
        return _month(today.year, today.month)
    return None


def find_dates(text: str, offset: int, published: str | None) -> list[tuple[Span, Date]]:
    """Every resolvable date expression of ``text`` (which starts at ``offset``), as spans and dates."""
    if not published:
        return []
    found: list[tuple[Span, Date]] = []
    taken: list[range] = []
    for kind, pattern in DATE_PATTERNS:  # the more specific patterns first; no overlaps
        for match in pattern.finditer(text):
            if any(match.start() < r.stop and r.start < match.end() for r in taken):
                continue
            date = resolve_date(kind, match.groupdict(), published)
            if date is not None:
                taken.append(range(match.start(), match.end()))
                found.append((Span(offset + match.start(), offset + match.end()), date))
    return sorted(found, key=lambda pair: pair[0].start)


def load_canonical_names(path: str | Path | None) -> dict[str, dict[str, str]]:
    """``{"attackers": {alias: canonical}, "places": {...}}`` with lower-case aliases; empty without the file."""
    if path is None or not Path(path).is_file():
        return {"attackers": {}, "places": {}}
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    out = {}
    for kind in ("attackers", "places"):
        table = dict(data.get(kind, {}))
        out[kind] = {alias.lower(): canonical for alias, canonical in table.items()}
        out[kind] |= {canonical.lower(): canonical for canonical in table.values()}
    return out


def _canonical(name: str, table: Mapping[str, str]) -> str:
    name = " ".join(name.split())
    return table.get(name.lower(), name)


def country_of(place: str) -> str | None:
    """The country of a place the lexicon knows (Iraqi places, countries, capitals), else None.

    The whole name is tried first, then each of its words ("Kirkuk province", "Erbil airport").
    """
    for name in (place, *place.split()):
        if name in lx.IRAQ_PLACES:
            return "Iraq"
        if name in CAPITAL_COUNTRIES:
            return CAPITAL_COUNTRIES[name]
        if name in lx.COUNTRIES:
            return COUNTRY_NAMES.get(name, name)
    return None


@dataclass
class Mention:
    """What one event mention says about its attack."""

    doc_id: str
    index: int  # the event's position in its annotation
    date: Date | None
    place: str | None
    attackers: frozenset[str] = frozenset()
    weapon_classes: frozenset[str] = frozenset()
    killed: int | None = None
    injured: int | None = None


def read_mentions(document: Document, annotation: Annotation,
                  names: Mapping[str, Mapping[str, str]]) -> list[Mention]:
    """One ``Mention`` per event of ``annotation`` (see the module docstring)."""
    text = document.text
    published = dict(document.metadata).get("published") if document.metadata else None
    entities = {entity.span: entity for entity in annotation.entities}
    sents = sentences(document)
    out = []
    for index, event in enumerate(annotation.events):
        sentence = next((s for s in sents if s.contains(event.trigger)), None)
        date = None
        if sentence is not None:
            dates = find_dates(sentence.span.text_in(text), sentence.span.start, published)
            if dates:
                gap = lambda pair: max(pair[0].start - event.trigger.end, event.trigger.start - pair[0].end, 0)
                date = min(dates, key=gap)[1]
        by_role: dict[str, list] = defaultdict(list)
        for argument in event.arguments:
            entity = entities.get(argument.span)
            if entity is not None:
                by_role[argument.role].append(entity)
        named = lambda entity: entity.span.text_in(text)[:1].isupper()
        places = [e for e in by_role["PLACE"]] or [e for e in by_role["TARGET"] if e.label == "LOCATION" and named(e)]
        place = _canonical(places[0].span.text_in(text), names["places"]) if places else None
        attackers = frozenset(_canonical(e.span.text_in(text), names["attackers"])
                              for e in by_role["ATTACKER"] if named(e))
        weapons = frozenset(e.attrs["weapon_class"] for e in by_role["INSTRUMENT"] if "weapon_class" in e.attrs)
        toll = lambda role: sum(e.attrs["count"] for e in by_role[role] if "count" in e.attrs) \
            if any("count" in e.attrs for e in by_role[role]) else None
        out.append(Mention(annotation.doc_id, index, date, place, attackers, weapons, toll("KILLED"), toll("INJURED")))
    return out


@dataclass
class Incident:
    date: Date
    place: str
    mentions: list[Mention] = field(default_factory=list)


def _slug(place: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", place.lower()).strip("-") or "place"


def cluster(mentions: Sequence[Mention]) -> list[Incident]:
    """Incidents from mentions (see the module docstring); mentions left out get no key."""
    incidents: dict[str, list[Incident]] = defaultdict(list)  # by place, lower case
    dated = sorted((m for m in mentions if m.date and m.place), key=lambda m: -len(m.date.value))
    for mention in dated:  # days first, then months, then years
        here = incidents[mention.place.lower()]
        matching = [i for i in here if i.date.covers(mention.date)]
        if len(matching) == 1:
            matching[0].mentions.append(mention)
        elif not matching:
            here.append(Incident(mention.date, mention.place, [mention]))
        else:  # a month or year under several day-precise incidents: it cannot be pinned
            continue
    flat = [i for group in incidents.values() for i in group]
    for mention in mentions:
        if mention.date and mention.place:
            continue
        same_doc = [i for i in flat if any(m.doc_id == mention.doc_id for m in i.mentions)]
        if mention.place and not mention.date:
            candidates = [i for i in same_doc if i.place.lower() == mention.place.lower()]
        elif mention.date and not mention.place:
            candidates = [i for i in same_doc if i.date.covers(mention.date)]
        else:
            candidates = []
        if len(candidates) == 1:
            candidates[0].mentions.append(mention)
    return sorted(flat, key=lambda i: (i.date.value, i.place.lower()))


def record(key: str, incident: Incident) -> dict:
    """The SPEC 1.3 record of one incident."""
    lowest = lambda values: min((v for v in values if v is not None), default=None)
    ms = incident.mentions
    return {"incident": key, "date": incident.date.value, "date_precision": incident.date.precision,
            "country": country_of(incident.place), "place": incident.place,
            "attackers": sorted({a for m in ms for a in m.attackers}),
            "weapon_classes": sorted({w for m in ms for w in m.weapon_classes}),
            "killed": lowest(m.killed for m in ms), "injured": lowest(m.injured for m in ms)}


def link_incidents(documents: Iterable[Document], annotations: Sequence[Annotation],
                   canonical_names: str | Path | None = None) -> tuple[list[Annotation], list[dict]]:
    """The annotations with incident keys on their events, and one record per key.

    ``documents`` give the texts and publication dates (by id); keys are
    ``<date>-<place slug>`` (``2021-02-15-erbil``), with ``-2``, ``-3`` ... when two
    incidents would share one.
    """
    names = load_canonical_names(canonical_names)
    by_id = {document.id: document for document in documents}
    mentions = [m for a in annotations for m in read_mentions(by_id[a.doc_id], a, names)]
    keys: dict[tuple[str, int], str] = {}
    records = []
    used: set[str] = set()
    for incident in cluster(mentions):
        key = base = f"{incident.date.value}-{_slug(incident.place)}"
        n = 1
        while key in used:
            n += 1
            key = f"{base}-{n}"
        used.add(key)
        records.append(record(key, incident))
        for mention in incident.mentions:
            keys[(mention.doc_id, mention.index)] = key
    linked = []
    for annotation in annotations:
        events = tuple(_with_key(event, keys.get((annotation.doc_id, n))) for n, event in enumerate(annotation.events))
        linked.append(replace(annotation, events=events))
    return linked, records


def _with_key(event: Event, key: str | None) -> Event:
    attrs = {k: v for k, v in event.attrs.items() if k != "incident"}
    if key is not None:
        attrs["incident"] = key
    return replace(event, attributes=to_attributes(attrs))
