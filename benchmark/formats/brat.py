"""brat standoff: write and read annotations for brat and INCEpTION.

Offsets are half-open ``[start, end)`` code-point indices into the document text; brat
reads the ``.txt`` file as UTF-8 and counts characters (code points) too, so offsets
are written unchanged. (Tools that count UTF-16 code units differ only on characters
outside the Basic Multilingual Plane, such as emoji; the corpus has none.)

One folder holds, per document, ``<doc_id>.txt`` (the text, byte-for-byte) and
``<doc_id>.ann``, plus one ``annotation.conf`` generated from the schema. The mapping:

===========================================  ==========================================
canonical                                    brat ``.ann`` line
===========================================  ==========================================
entity (label, span)                         ``T3<TAB>WEAPON 255 265<TAB>14 rockets``
entity attribute (any kind)                  ``A1<TAB>quantity T3 14``
event trigger (event type, span)             ``T7<TAB>ATTACK 271 276<TAB>fired``
event with its arguments                     ``E1<TAB>ATTACK:T7 INSTRUMENT:T3 KILLED:T5``
second, third .. argument of one role        ``TARGET2:T4``, ``TARGET3:T6`` (brat's
                                             numbered roles; the digits are dropped on
                                             reading)
choice or integer attribute                  ``A2<TAB>weapon_class T3 rocket``
free-text attribute, e.g. ``incident``       ``#1<TAB>AnnotatorNotes E1<TAB>incident=2021-02-15-erbil``
===========================================  ==========================================

brat only offers the values its ``annotation.conf`` lists. Choice attributes list the
schema's values; integer attributes (``count``, ``quantity``) list 0 to 100 and every
larger value in the data, so an annotator can enter values the gold does not have; a
free-text attribute (``incident``) has no list and lives in the annotation's note
(brat's ``AnnotatorNotes``, which brat and INCEpTION edit as free text) as
``name=value``. On reading, a note's ``name=value`` words naming an attribute of the
schema are attributes (any attribute, so an integer above the list can be noted too);
other note text is a comment and is ignored. The folder also gets ``visual.conf`` (a
readable name and a colour per label, event type and role) and ``tools.conf``.

Entity ids of the form ``T<n>`` and event ids of the form ``E<n>`` are kept; other ids,
and the triggers (which have no id of their own), get the next free number. Attribute
values are written as text and read back by the schema's kind (integers as ``int``).
No ``R`` (relation) lines are written: arguments are event roles. On reading, ``#``
lines other than such notes are ignored; ``R`` and ``N`` lines, an attribute given twice
with different values, discontinuous spans, a span whose
text differs from the ``.txt``, an unknown label, role or attribute, a trigger without
an event, and an argument that is not an entity are reported with file, line and id.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from benchmark.errors import BenchmarkError, Problem, SubmissionError
from benchmark.files import DEFAULT_MAX_BYTES, read_input_bytes, replace_folder_files
from benchmark.model import Annotation, Argument, AttributeValue, Document, Entity, Event, Span, to_attributes
from benchmark.schema import AttributeSpec, Schema, load_schema

CONF_FILE = "annotation.conf"
VISUAL_CONF_FILE = "visual.conf"
TOOLS_CONF_FILE = "tools.conf"
NOTE = "AnnotatorNotes"
INTEGER_VALUES = range(0, 101)  # offered in brat's menu for integer attributes, with every larger value seen
_NUMBERED = re.compile(r"^([TE])(\d+)$")
_ROLE_SUFFIX = re.compile(r"^(.*?)(\d*)$")


def _free_ids(taken: Iterable[str | None], prefix: str) -> Iterable[str]:
    numbers = {int(m.group(2)) for i in taken if i and (m := _NUMBERED.match(i)) and m.group(1) == prefix}
    n = 0
    while True:
        n += 1
        if n not in numbers:
            yield f"{prefix}{n}"


def _keep_ids(ids: Sequence[str | None], prefix: str) -> list[str]:
    """Ids of the form ``<prefix><n>``, unique, kept; the others numbered afresh."""
    kept: list[str | None] = []
    seen: set[str] = set()
    for i in ids:
        match = _NUMBERED.match(i) if i else None
        ok = match is not None and match.group(1) == prefix and i not in seen
        kept.append(i if ok else None)
        if ok:
            seen.add(i)
    fresh = _free_ids(seen, prefix)
    return [i if i is not None else next(fresh) for i in kept]


def _value_text(value: AttributeValue, owner: str, name: str, problems: list[Problem], doc_id: str) -> str:
    text = str(value)
    if not text or any(c.isspace() for c in text):
        problems.append(Problem(f"value {text!r} cannot be a brat attribute value (empty or white space)",
                                document=doc_id, item=owner, field=name))
    return text


def _free_text(schema: Schema) -> set[str]:
    """The attributes with no value list for brat (string kind): written as notes."""
    return {a.name for owner in (*schema.labels, *schema.event_types) for a in owner.attributes if a.kind == "string"}


def to_brat(annotation: Annotation, text: str, problems: list[Problem], schema: Schema | None = None) -> str:
    """The ``.ann`` content of one document's annotation (see the module docstring)."""
    free_text = _free_text(schema or load_schema())
    doc_id = annotation.doc_id
    entity_ids = _keep_ids([e.id for e in annotation.entities], "T")
    event_ids = _keep_ids([e.id for e in annotation.events], "E")
    trigger_ids = _free_ids(entity_ids, "T")
    lines: list[str] = []
    attributes = _free_ids((), "A")
    notes = _free_ids((), "#")
    by_span: dict[Span, str] = {}

    def attribute_lines(owner: str, values) -> None:
        free = []
        for name, value in values:
            value_text = _value_text(value, owner, name, problems, doc_id)
            if name in free_text:
                free.append(f"{name}={value_text}")
            else:
                lines.append(f"{next(attributes)}\t{name} {owner} {value_text}")
        if free:
            lines.append(f"{next(notes)}\t{NOTE} {owner}\t{' '.join(free)}")

    def textbound(tid: str, label: str, span: Span) -> None:
        covered = span.text_in(text)
        if span.end > len(text):
            problems.append(Problem(f"span [{span.start}, {span.end}) is past the end of the text",
                                    document=doc_id, item=tid))
        elif "\n" in covered or "\r" in covered:
            problems.append(Problem(f"span [{span.start}, {span.end}) crosses a line break; a brat text-bound "
                                    "line cannot hold it", document=doc_id, item=tid))
        lines.append(f"{tid}\t{label} {span.start} {span.end}\t{covered}")

    for tid, entity in zip(entity_ids, annotation.entities):
        textbound(tid, entity.label, entity.span)
        by_span.setdefault(entity.span, tid)
        attribute_lines(tid, entity.attributes)
    for eid, event in zip(event_ids, annotation.events):
        tid = next(trigger_ids)
        textbound(tid, event.event_type, event.trigger)
        parts = [f"{event.event_type}:{tid}"]
        used: dict[str, int] = {}
        for argument in event.arguments:
            target = by_span.get(argument.span)
            if target is None:
                problems.append(Problem(f"argument {argument.role} [{argument.span.start}, {argument.span.end}) "
                                        "coincides with no entity", document=doc_id, item=eid))
                continue
            used[argument.role] = used.get(argument.role, 0) + 1
            suffix = str(used[argument.role]) if used[argument.role] > 1 else ""
            parts.append(f"{argument.role}{suffix}:{target}")
        lines.append(f"{eid}\t{' '.join(parts)}")
        attribute_lines(eid, event.attributes)
    return "".join(line + "\n" for line in lines)


def annotation_conf(schema: Schema, annotations: Sequence[Annotation] = ()) -> str:
    """brat's ``annotation.conf`` for the schema.

    brat lists every value of an attribute: choice attributes get the schema's values,
    integer attributes 0 to 100 and every other value in ``annotations``; string
    attributes have no list (they are written as notes, see the module docstring).
    """
    seen: dict[str, set[int]] = {}
    for annotation in annotations:
        for item in (*annotation.entities, *annotation.events):
            for name, value in item.attributes:
                if isinstance(value, int):
                    seen.setdefault(name, set()).add(value)

    def values(spec: AttributeSpec) -> list[str]:
        if spec.kind == "choice":
            return list(spec.values)
        if spec.kind == "integer":
            low = max(INTEGER_VALUES.start, spec.minimum if spec.minimum is not None else INTEGER_VALUES.start)
            found = {v for v in seen.get(spec.name, ()) if spec.minimum is None or v >= spec.minimum}
            return [str(v) for v in sorted(set(range(low, INTEGER_VALUES.stop)) | found)]
        return []

    lines = [f"# brat configuration generated from the schema {schema.name} {schema.version}", "[entities]"]
    lines += [spec.name for spec in schema.labels]
    lines += ["", "[relations]", "# none: arguments are event roles", "<OVERLAP>\tArg1:<ANY>, Arg2:<ANY>, <OVL-TYPE>:<ANY>",
              "", "[events]"]
    for spec in schema.event_types:
        roles = ", ".join(f"{role}*:{'|'.join(fillers)}" for role, fillers in spec.roles)
        lines.append(f"{spec.name}\t{roles}")
    lines += ["", "[attributes]",
              f"# Integer attributes offer {INTEGER_VALUES.start} to {INTEGER_VALUES.stop - 1} and every larger value "
              "in the data; another value can go in the annotation's note as name=value (count=250).",
              "# Free-text attributes have no list: write them in the note as name=value."]
    for owner in (*schema.labels, *schema.event_types):
        for spec in owner.attributes:
            allowed = values(spec)
            if allowed:
                lines.append(f"{spec.name}\tArg:{owner.name}, Value:{'|'.join(allowed)}")
            else:
                lines.append(f"# {spec.name} ({owner.name}): free text, in the note as {spec.name}=VALUE")
    return "\n".join(lines) + "\n"


# Colours as the Label Studio config's (benchmark.labelstudio.convert), triggers gold, roles dark.
_COLOURS = ("#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#bfef45")


def _readable(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _light(colour: str) -> str:
    """The colour mixed half with white: dark text stays readable on it."""
    channels = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{(c + 255) // 2:02x}" for c in channels)


def visual_conf(schema: Schema) -> str:
    """brat's ``visual.conf``: a readable name (and a short form) and a colour per label, event type and role."""
    lines = [f"# brat display configuration generated from the schema {schema.name} {schema.version}", "[labels]"]
    for spec in schema.labels:
        lines.append(f"{spec.name} | {_readable(spec.name)} | {spec.name[:3]}")
    for spec in schema.event_types:
        lines.append(f"{spec.name} | {_readable(spec.name)} | {spec.name[:3]}")
    for role in schema.role_names:
        lines.append(f"{role} | {_readable(role)}")
    for owner in (*schema.labels, *schema.event_types):
        for attribute in owner.attributes:
            lines.append(f"{attribute.name} | {_readable(attribute.name)}")
    lines = list(dict.fromkeys(lines))
    lines += ["", "[drawing]",
              "SPAN_DEFAULT\tfgColor:black, bgColor:lightgreen, borderColor:darken",
              "ARC_DEFAULT\tcolor:black, arrowHead:triangle-5",
              "ATTRIBUTE_DEFAULT\tglyph:*"]
    for n, spec in enumerate(schema.labels):
        lines.append(f"{spec.name}\tbgColor:{_light(_COLOURS[n % len(_COLOURS)])}")
    for spec in schema.event_types:
        lines.append(f"{spec.name}\tbgColor:#ffd700")
    for role in schema.role_names:
        lines.append(f"{role}\tcolor:#333333, arrowHead:triangle-5")
    return "\n".join(lines) + "\n"


def tools_conf(schema: Schema) -> str:
    """brat's ``tools.conf``: brat's simplest tokenizer and sentence splitter (white space, line
    breaks: selections are not snapped to any other tokenisation), full validation against
    ``annotation.conf``, and no normalization database (free-text attributes go in notes)."""
    return "\n".join([
        f"# brat tools configuration generated from the schema {schema.name} {schema.version}",
        "[options]",
        "Tokens\ttokenizer:whitespace",
        "Sentences\tsplitter:newline",
        "Validation\tvalidate:all",
        "Annotation-display\tinterface:normal",
        "",
        "[normalization]",
        "# none: incident keys and other free-text attributes go in the annotation's note as name=value",
        "",
        "[annotators]",
        "",
        "[disambiguators]",
        "",
        "[search]",
        "",
    ]) + "\n"


def config_files(schema: Schema, annotations: Sequence[Annotation] = ()) -> dict[str, str]:
    """The brat configuration files of an export folder, by name."""
    return {CONF_FILE: annotation_conf(schema, annotations), VISUAL_CONF_FILE: visual_conf(schema),
            TOOLS_CONF_FILE: tools_conf(schema)}


def write_brat(folder: str | Path, annotations: Sequence[Annotation], documents: Sequence[Document] | None = None,
               schema: Schema | None = None) -> list[Path]:
    """Write ``<doc_id>.txt`` and ``<doc_id>.ann`` per document and ``annotation.conf``.

    ``documents`` default to the annotations' own documents (gold carries them). Raises
    ``SubmissionError`` with every problem before anything is written.
    """
    schema = schema or load_schema()
    folder = Path(folder)
    by_id = {d.id: d for d in documents} if documents is not None else {}
    problems: list[Problem] = []
    files: dict[str, bytes] = {}
    for annotation in annotations:
        document = by_id.get(annotation.doc_id) or annotation.document
        if document is None:
            problems.append(Problem("no text for this document", document=annotation.doc_id))
            continue
        files[f"{annotation.doc_id}.txt"] = document.text.encode("utf-8")
        files[f"{annotation.doc_id}.ann"] = to_brat(annotation, document.text, problems, schema).encode("utf-8")
    if problems:
        raise SubmissionError(problems)
    files.update({name: text.encode("utf-8") for name, text in config_files(schema, annotations).items()})
    return replace_folder_files(folder, files)


# ---------------------------------------------------------------- reading

_OFFSET = re.compile(r"[0-9]{1,18}")


def _convert(spec: AttributeSpec, raw: str) -> AttributeValue:
    if spec.kind == "integer" and re.fullmatch(r"-?[0-9]{1,18}", raw):
        return int(raw)
    return raw


def _note_attributes(line: str, number: int, schema: Schema) -> list[tuple[str, str, str, int]]:
    """The ``name=value`` words of an ``AnnotatorNotes`` line that name a schema attribute."""
    fields = line.split("\t")
    head = fields[1].split(" ") if len(fields) > 2 else []
    if len(head) != 2 or head[0] != NOTE:
        return []
    names = {a.name for owner in (*schema.labels, *schema.event_types) for a in owner.attributes}
    found = []
    for word in fields[2].split():
        name, sign, value = word.partition("=")
        if sign and name in names and value:
            found.append((name, head[1], value, number))
    return found


def from_brat(ann: str, document: Document, problems: list[Problem], file: str | None = None,
              schema: Schema | None = None) -> Annotation:
    """The annotation of one ``.ann`` text over ``document`` (see the module docstring)."""
    schema = schema or load_schema()
    text = document.text

    def report(line: int, message: str, item: str | None = None, field: str | None = None) -> None:
        problems.append(Problem(message, file=file, line=line, document=document.id, item=item, field=field))

    textbound: dict[str, tuple[str, Span, int]] = {}
    events: list[tuple[str, str, list[tuple[str, str]], int]] = []
    attributes: list[tuple[str, str, str | None, int]] = []
    for number, raw in enumerate(ann.split("\n"), 1):
        line = raw.rstrip("\r")
        if line.startswith("#"):
            attributes += _note_attributes(line, number, schema)
            continue
        if not line.strip():
            continue
        fields = line.split("\t")
        ident = fields[0]
        kind = ident[:1]
        if kind == "T":
            if len(fields) < 3:
                report(number, "a text-bound line needs ID<TAB>LABEL START END<TAB>TEXT", ident)
                continue
            head = fields[1].split(" ")
            if ";" in fields[1]:
                report(number, "discontinuous spans are not part of this mapping", ident)
                continue
            if len(head) != 3 or not (_OFFSET.fullmatch(head[1]) and _OFFSET.fullmatch(head[2])):
                report(number, f"cannot read {fields[1]!r} as LABEL START END", ident)
                continue
            label, start, end = head[0], int(head[1]), int(head[2])
            if not start < end <= len(text):
                report(number, f"offsets [{start}, {end}) do not fit a text of {len(text)} code points", ident)
                continue
            if text[start:end] != fields[2]:
                report(number, f"span text {fields[2]!r} does not match text[{start}:{end}] = {text[start:end]!r}",
                       ident, "text")
                continue
            if label not in schema.label_names and label not in schema.event_type_names:
                report(number, f"unknown label {label!r}", ident, "label")
                continue
            if ident in textbound:
                report(number, "id used twice", ident)
                continue
            textbound[ident] = (label, Span(start, end), number)
        elif kind == "E":
            parts = fields[1].split() if len(fields) > 1 else []
            if not parts or ":" not in parts[0]:
                report(number, "an event line needs ID<TAB>TYPE:TRIGGER [ROLE:ID ...]", ident)
                continue
            event_type, trigger = parts[0].split(":", 1)
            arguments = []
            for part in parts[1:]:
                role, _, target = part.partition(":")
                arguments.append((_ROLE_SUFFIX.match(role).group(1), target))
            events.append((ident, event_type, [("", trigger), *arguments], number))
        elif kind in ("A", "M"):
            head = fields[1].split(" ") if len(fields) > 1 else []
            if len(head) not in (2, 3):
                report(number, "an attribute line needs ID<TAB>NAME TARGET VALUE", ident)
                continue
            attributes.append((head[0], head[1], head[2] if len(head) == 3 else None, number))
        else:
            report(number, f"{kind or 'an empty'} line is not part of this mapping (T, E, A and # lines only)", ident)

    triggers_used: set[str] = set()
    built_events: list[tuple[str, str, Span, list[Argument]]] = []
    for ident, event_type, parts, number in events:
        (_, trigger), arguments = parts[0], parts[1:]
        found = textbound.get(trigger)
        if event_type not in schema.event_type_names:
            report(number, f"unknown event type {event_type!r}", ident, "type")
            continue
        if found is None or found[0] != event_type:
            report(number, f"trigger {trigger} is not a text-bound {event_type} annotation", ident, "trigger")
            continue
        triggers_used.add(trigger)
        built = []
        for role, target in arguments:
            filler = textbound.get(target)
            if role not in schema.role_names:
                report(number, f"unknown role {role!r}", ident, role)
            elif filler is None or filler[0] not in schema.label_names:
                report(number, f"argument {role}:{target} is not an entity", ident, role)
            else:
                built.append(Argument(role, filler[1]))
        built_events.append((ident, event_type, found[1], built))

    values: dict[str, dict[str, AttributeValue]] = {}
    owners = {ident: label for ident, (label, _, _) in textbound.items()}
    owners.update({ident: event_type for ident, event_type, _, _ in built_events})
    for name, target, raw, number in attributes:
        owner = owners.get(target)
        if owner is None or target in triggers_used:
            report(number, f"attribute {name!r} is on {target}, which is no entity or event", target, name)
            continue
        spec = next((a for o in (*schema.labels, *schema.event_types) if o.name == owner for a in o.attributes
                     if a.name == name), None)
        if spec is None:
            report(number, f"unknown attribute {name!r} for {owner}", target, name)
            continue
        if raw is None:
            report(number, f"attribute {name!r} has no value", target, name)
            continue
        value = _convert(spec, raw)
        problem = spec.check(value)
        if problem:
            report(number, problem, target, name)
            continue
        before = values.setdefault(target, {}).get(name)
        if before is not None and before != value:
            report(number, f"attribute {name!r} given twice with different values ({before!r} and {value!r})",
                   target, name)
            continue
        values[target][name] = value

    entities = []
    for ident, (label, span, number) in textbound.items():
        if label in schema.event_type_names:
            if ident not in triggers_used:
                report(number, f"trigger {ident} belongs to no event (E line)", ident)
            continue
        entities.append(Entity(span, label, to_attributes(values.get(ident)), id=ident))
    out_events = [Event(event_type, trigger, tuple(arguments), to_attributes(values.get(ident)), id=ident)
                  for ident, event_type, trigger, arguments in built_events]
    return Annotation(document.id, tuple(entities), tuple(out_events), document=document)


def _text(data: bytes, file: str, problems: list[Problem], document: str | None = None) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        problems.append(Problem(f"the file is not valid UTF-8 ({error.reason})", file=file, line=line,
                                document=document))
        return None


def read_brat(folder: str | Path, documents: Sequence[Document] | None = None,
              schema: Schema | None = None, missing_ok: bool = False,
              max_bytes: int | None = None) -> list[Annotation]:
    """Annotations of a brat folder: of ``documents`` in that order (their ``.txt``, when
    present, must equal their text), or of every ``.ann`` file in name order with its ``.txt``.

    With ``missing_ok`` (predictions), a document without ``.ann`` is left out (it
    predicts nothing) and an ``.ann`` of no known document is an error. A folder without
    any ``.ann`` file is an error. Each file is
    read once; ``max_bytes`` limits the folder's ``.ann`` and ``.txt`` files together.
    Raises ``SubmissionError`` with every problem.
    """
    schema = schema or load_schema()
    folder = Path(folder)
    problems: list[Problem] = []
    budget = [max_bytes or DEFAULT_MAX_BYTES]

    def read(path: Path) -> bytes | None:
        try:
            data = read_input_bytes(path, max(budget[0], 1))
        except BenchmarkError as error:  # unreadable, or past the size limit
            problems.extend(error.problems)
            return None
        budget[0] -= len(data)
        return data

    if not folder.is_dir():
        raise SubmissionError([Problem("is not a folder; a brat folder holds <doc_id>.ann files", file=str(folder))])
    names = sorted(p.name for p in folder.iterdir() if p.suffix == ".ann")
    if not names:  # a folder given by mistake, not a system that predicts nothing (it writes empty files)
        raise SubmissionError([Problem("holds no .ann file; a brat folder holds <doc_id>.ann files (empty ones "
                                       "for documents with nothing)", file=str(folder))])
    if documents is None:
        documents = []
        for name in names:
            txt = folder / (name[:-4] + ".txt")
            if not txt.is_file():
                problems.append(Problem("no .txt beside this .ann", file=str(folder / name)))
                continue
            data = read(txt)
            text = _text(data, str(txt), problems) if data is not None else None
            if text is not None:
                documents.append(Document(name[:-4], text))
    elif missing_ok:
        known = {d.id for d in documents}
        for name in names:
            if name[:-4] not in known:
                problems.append(Problem(f"document id {name[:-4][:80]!r} is not in the benchmark", file=str(folder / name)))
    out = []
    for document in documents:
        ann, txt = folder / f"{document.id}.ann", folder / f"{document.id}.txt"
        if not ann.is_file():
            if not missing_ok:
                problems.append(Problem("no .ann file for this document", file=str(ann), document=document.id))
            continue
        if txt.is_file():
            data = read(txt)
            if data is None:
                continue
            if data != document.text.encode("utf-8"):
                problems.append(Problem("the .txt differs from the document text", file=str(txt),
                                        document=document.id))
                continue
        data = read(ann)
        text = _text(data, str(ann), problems, document.id) if data is not None else None
        if text is not None:
            out.append(from_brat(text, document, problems, str(ann), schema))
    if problems:
        raise SubmissionError(problems)
    return out


def parse_brat_files(files: Mapping[str, bytes], folder: str, documents: Sequence[Document],
                     schema: Schema | None = None) -> list[Annotation]:
    """Prediction annotations of a brat folder's files already read (name -> bytes): a
    document without ``.ann`` predicts nothing, an ``.ann`` of no known document, a ``.txt``
    that differs from the text, or anything else in ``files`` is an error. Raises
    ``SubmissionError`` with every problem."""
    schema = schema or load_schema()
    problems: list[Problem] = []
    known = {d.id for d in documents}
    for name in sorted(files):
        stem, _, suffix = name.rpartition(".")
        if suffix not in ("ann", "txt") or stem not in known:
            problems.append(Problem(f"{'document id ' + repr(stem[:80]) + ' is not in the benchmark' if suffix in ('ann', 'txt') else 'not a .ann or .txt file'}",
                                    file=f"{folder}/{name[:120]}"))
    out = []
    for document in documents:
        ann, txt = f"{document.id}.ann", f"{document.id}.txt"
        if txt in files and files[txt] != document.text.encode("utf-8"):
            problems.append(Problem("the .txt differs from the document text", file=f"{folder}/{txt}",
                                    document=document.id))
            continue
        if ann in files:
            text = _text(files[ann], f"{folder}/{ann}", problems, document.id)
            if text is not None:
                out.append(from_brat(text, document, problems, f"{folder}/{ann}", schema))
    if problems:
        raise SubmissionError(problems)
    return out
