"""Label Studio: the labelling config (generated from the schema) and conversion.

Terms of the labelling config, all driven by the schema:

- ``<Labels name="entity">``: one ``<Label>`` per entity label;
- ``<Labels name="trigger">``: one ``<Label>`` per event type (a trigger region);
- ``<Relations>``: one ``<Relation>`` per role, from a trigger region to its argument;
- per-region controls named after each attribute (``Choices``, ``Number``,
  ``TextArea``), shown for the region label that owns the attribute; the event
  attribute ``incident`` is a per-region ``TextArea`` on trigger regions.

Offsets in Label Studio text regions are code points, half-open ``[start, end)``, as in
this package. A result is one region; its per-region attribute results share its ``id``.
Entity and event ids become region ids, and region ids, annotator and timestamps are
kept as provenance, so an export survives export -> canonical -> export.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping
from xml.sax.saxutils import quoteattr

from benchmark.errors import Problem
from benchmark.model import Annotation, Argument, Document, Entity, Event, Provenance, Span, to_attributes
from benchmark.schema import AttributeSpec, Schema, load_schema

TEXT_NAME = "text"
ENTITY_CONTROL = "entity"
TRIGGER_CONTROL = "trigger"
RESULT_TYPES = {"choice": "choices", "integer": "number", "string": "textarea"}
_COLOURS = ("#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#bfef45")


def _attribute_control(spec: AttributeSpec, control: str, owner: str) -> str:
    """One per-region control, shown (and, when required, enforced) only for ``owner`` regions.

    ``visibleWhen``/``whenTagName``/``whenLabelValue`` sit on the control itself: Label
    Studio's check of ``required`` per region skips the regions these exclude, so a
    required CASUALTY attribute is demanded of every CASUALTY region and of no other.
    """
    name = quoteattr(spec.name)
    common = (f'name={name} toName="{TEXT_NAME}" perRegion="true" visibleWhen="region-selected" '
              f'whenTagName="{control}" whenLabelValue={quoteattr(owner)}')
    if spec.required:
        common += f' required="true" requiredMessage={quoteattr(f"{owner}: {spec.name} is required")}'
    if spec.kind == "choice":
        choices = "".join(f'<Choice value={quoteattr(v)}/>' for v in spec.values)
        return f'<Choices {common} choice="single" showInline="true">{choices}</Choices>'
    if spec.kind == "integer":
        minimum = f' min="{spec.minimum}"' if spec.minimum is not None else ""
        return f"<Number {common}{minimum}/>"
    return f'<TextArea {common} maxSubmissions="1" editable="true" rows="1"/>'


# The labelling view: the text on the left, and beside it a column that stays in view
# (sticky) while the text scrolls, holding the controls of the selected region.
_LAYOUT = "display:flex; flex-direction:row; align-items:flex-start; gap:16px"
_TEXT_COLUMN = "flex:1 1 auto; min-width:0"
_SIDE_COLUMN = ("flex:0 0 300px; width:300px; position:sticky; top:0; align-self:flex-start; "
                "max-height:100vh; overflow-y:auto; padding:8px; border-left:1px solid #ddd")


def label_config(schema: Schema | None = None) -> str:
    """The Label Studio labelling config XML for ``schema`` (deterministic).

    Labels, event types, roles and attribute controls all come from the schema. The
    attribute controls are per region (``perRegion``), in a side column next to the text
    that follows the selected region; required attributes carry ``required="true"``.
    """
    schema = schema or load_schema()
    lines = [f'<View style="{_LAYOUT}">', f'  <View style="{_TEXT_COLUMN}">',
             f'    <Labels name="{ENTITY_CONTROL}" toName="{TEXT_NAME}">']
    lines += [f'      <Label value={quoteattr(s.name)} background="{_COLOURS[n % len(_COLOURS)]}"/>'
              for n, s in enumerate(schema.labels)]
    lines += ["    </Labels>", f'    <Labels name="{TRIGGER_CONTROL}" toName="{TEXT_NAME}">']
    lines += [f'      <Label value={quoteattr(s.name)} background="#ffd700"/>' for s in schema.event_types]
    lines += ["    </Labels>", f'    <Text name="{TEXT_NAME}" value="${TEXT_NAME}"/>', "    <Relations>"]
    lines += [f"      <Relation value={quoteattr(role)}/>" for role in schema.role_names]
    lines += ["    </Relations>", "  </View>", f'  <View style="{_SIDE_COLUMN}">',
              '    <Header value="Selected region" size="5"/>']
    owners = [(ENTITY_CONTROL, s) for s in schema.labels] + [(TRIGGER_CONTROL, s) for s in schema.event_types]
    for control, owner in owners:
        if not owner.attributes:
            continue
        lines.append(f'    <View visibleWhen="region-selected" whenTagName="{control}" '
                     f'whenLabelValue={quoteattr(owner.name)}>')
        for spec in owner.attributes:
            required = "required" if spec.required else "optional"
            lines.append(f'      <Header value={quoteattr(f"{spec.name} ({required})")} size="6"/>')
            lines.append(f"      {_attribute_control(spec, control, owner.name)}")
        lines.append("    </View>")
    lines += ["  </View>", "</View>"]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- canonical -> Label Studio

def _attribute_result(region_id: str, spec: AttributeSpec, start: int, end: int, covered: str, value: Any) -> dict:
    result_type = RESULT_TYPES[spec.kind]
    if result_type == "choices":
        body: dict[str, Any] = {"start": start, "end": end, "text": covered, "choices": [value]}
    elif result_type == "number":
        body = {"start": start, "end": end, "text": covered, "number": value}
    else:
        body = {"start": start, "end": end, "text": [value]}
    return {"id": region_id, "from_name": spec.name, "to_name": TEXT_NAME, "type": result_type, "value": body}


def to_labelstudio_results(annotation: Annotation, text: str, schema: Schema | None = None) -> list[dict]:
    """Label Studio ``result`` list for one document's annotation.

    Region ids are the entity / event ids (or provenance region ids, or T<n> / E<n>);
    each attribute is a per-region result with the region's id; each argument a relation.
    """
    schema = schema or load_schema()
    attribute_spec = schema.attribute
    results: list[dict] = []
    region_of: dict[tuple[int, int], str] = {}
    used: set[str] = set()

    def unique(region_id: str, prefix: str) -> str:
        # Region ids must be unique within a result list (relations name regions by id);
        # a clash (say an entity "E1" next to an unnamed first event) gets a fresh id.
        n = 1
        while region_id in used:
            region_id, n = f"{prefix}{len(used) + n}", n + 1
        used.add(region_id)
        return region_id

    def add_region(region_id: str, control: str, span: Span, label: str, attributes: tuple) -> None:
        start, end = span.start, span.end
        covered = text[start:end]
        results.append({"id": region_id, "from_name": control, "to_name": TEXT_NAME, "type": "labels",
                        "value": {"start": start, "end": end, "text": covered, "labels": [label]}})
        for name, value in attributes:
            spec = attribute_spec(name)
            if spec is not None:
                results.append(_attribute_result(region_id, spec, start, end, covered, value))

    for n, entity in enumerate(annotation.entities, 1):
        region_id = unique((entity.provenance and entity.provenance.source_id) or entity.id or f"T{n}", "T")
        region_of[entity.span.start, entity.span.end] = region_id
        add_region(region_id, ENTITY_CONTROL, entity.span, entity.label, entity.attributes)
    relations = []
    for n, event in enumerate(annotation.events, 1):
        region_id = unique((event.provenance and event.provenance.source_id) or event.id or f"E{n}", "E")
        add_region(region_id, TRIGGER_CONTROL, event.trigger, event.event_type, event.attributes)
        for argument in event.arguments:
            span = argument.span
            to_id = region_of.get((span.start, span.end))
            relation = {"from_id": region_id, "to_id": f"missing@{span.start}" if to_id is None else to_id,
                        "type": "relation", "direction": "right", "labels": [argument.role]}
            if argument.provenance and argument.provenance.source_id:
                relation["id"] = argument.provenance.source_id
            relations.append(relation)
    return results + relations


def document_data(document: Document) -> dict:
    """The task ``data`` of a document: its text, id and metadata."""
    return {TEXT_NAME: document.text, "doc_id": document.id, "meta": document.meta}


def _completed_by(provenance: Provenance) -> Any:
    """``completed_by`` as Label Studio writes it: the object form when the e-mail is known."""
    user_id = provenance.annotator_id
    if user_id is None:
        return provenance.annotator
    number = int(user_id) if user_id.isdigit() else user_id
    if provenance.annotator is not None and provenance.annotator != user_id:
        return {"id": number, "email": provenance.annotator}
    return number


def _annotation_envelope(annotation: Annotation, results: list[dict], ground_truth: bool = False) -> dict:
    envelope: dict[str, Any] = {"result": results, "was_cancelled": False, "ground_truth": ground_truth}
    provenance = annotation.provenance
    if provenance is not None:
        if provenance.source_id is not None:
            envelope["id"] = int(provenance.source_id) if provenance.source_id.isdigit() else provenance.source_id
        completed_by = _completed_by(provenance)
        if completed_by is not None:
            envelope["completed_by"] = completed_by
        if provenance.created_at is not None:
            envelope["created_at"] = provenance.created_at
        if provenance.updated_at is not None:
            envelope["updated_at"] = provenance.updated_at
    return envelope


def to_labelstudio_task(annotation: Annotation, document: Document, as_prediction: bool = False,
                        model_version: str | None = None, score: float | None = None,
                        task_id: int | None = None, schema: Schema | None = None, ground_truth: bool = False) -> dict:
    """A Label Studio import task holding ``annotation`` as an annotation or a prediction.

    ``ground_truth`` flags the annotation as its task's ground truth: Label Studio (1.23)
    keeps the flag an imported annotation carries, and ``import --ground-truth`` reads it.
    """
    results = to_labelstudio_results(annotation, document.text, schema)
    task: dict[str, Any] = {"data": document_data(document)}
    if task_id is None and not as_prediction and annotation.provenance is not None:
        task_id = annotation.provenance.task_id  # where the annotation came from, for the round trip
    if task_id is not None:
        task["id"] = int(task_id) if isinstance(task_id, str) and task_id.isdigit() else task_id
    if as_prediction:
        prediction: dict[str, Any] = {"result": results, "model_version": model_version or "unknown"}
        if score is not None:
            prediction["score"] = score
        task["predictions"] = [prediction]
    else:
        task["annotations"] = [_annotation_envelope(annotation, results, ground_truth)]
    return task


# ---------------------------------------------------------------- Label Studio -> canonical

def annotator_key(completed_by: Any) -> str | None:
    """The identity of an annotator in either ``completed_by`` form: the user id as a string.

    Label Studio writes ``completed_by`` as a user id (an integer) or, when the export
    serialises users in full, as an object with ``id`` and ``email``; both name one
    person by the id. An object without an id is named by its e-mail, and any other
    value (a name written by hand) by its text.
    """
    if isinstance(completed_by, dict):
        completed_by = completed_by.get("id") if completed_by.get("id") is not None else completed_by.get("email")
    if completed_by is None or isinstance(completed_by, bool):
        return None
    return str(completed_by)


def annotator_email(completed_by: Any) -> str | None:
    """The e-mail of ``completed_by`` when it is the object form and carries one."""
    if isinstance(completed_by, dict) and isinstance(completed_by.get("email"), str):
        return completed_by["email"]
    return None


def _annotator(value: Any) -> str | None:
    """The annotator as shown to people: the e-mail when the export gives it, else the id."""
    return annotator_email(value) or annotator_key(value)


def usable_annotations(task: dict) -> list[dict]:
    """The annotations of ``task`` that count: objects, not cancelled (skipped)."""
    return [a for a in task.get("annotations") or [] if isinstance(a, dict) and not a.get("was_cancelled")]


def _latest(candidates: list[dict]) -> dict:
    return max(candidates, key=lambda a: (str(a.get("updated_at") or a.get("created_at") or ""), str(a.get("id"))))


def matches_annotator(annotation: dict, annotator: str, emails: Mapping[str, str] | None = None) -> bool:
    """Whether ``annotator`` (a user id or an e-mail) names who completed ``annotation``.

    Both ``completed_by`` forms match both: an id matches the integer and the object's
    ``id``; an e-mail matches the object's ``email``, and an integer form whose id
    ``emails`` (user id -> e-mail, gathered from the object forms of the export) maps to it.
    """
    completed_by = annotation.get("completed_by")
    key = annotator_key(completed_by)
    if key is not None and annotator == key:
        return True
    email = annotator_email(completed_by) or (emails or {}).get(key or "")
    return email is not None and email.casefold() == annotator.casefold()


def latest_by_annotator(task: dict) -> dict[str, dict]:
    """annotator key -> that annotator's latest usable annotation of ``task`` (first seen order)."""
    groups: dict[str, list[dict]] = {}
    for annotation in usable_annotations(task):
        groups.setdefault(annotator_key(annotation.get("completed_by")) or "", []).append(annotation)
    return {key: _latest(group) for key, group in groups.items()}


def choose_annotation(task: dict, annotator: str | None = None, ground_truth: bool = False,
                      emails: Mapping[str, str] | None = None) -> dict | None:
    """The annotation of ``task`` that counts: not cancelled; the ground-truth one, or by
    ``annotator`` (id or e-mail, either ``completed_by`` form), or else the most recently
    updated one. Callers that must not reduce several annotators to one check
    ``latest_by_annotator`` first (``benchmark.labelstudio.exchange.import_export`` does)."""
    candidates = usable_annotations(task)
    if ground_truth:
        candidates = [a for a in candidates if a.get("ground_truth")]
    if annotator is not None:
        candidates = [a for a in candidates if matches_annotator(a, annotator, emails)]
    if not candidates:
        return None
    return _latest(candidates)


def annotation_provenance(task: dict, chosen: dict, prediction: bool = False) -> Provenance:
    """Where an annotation (or prediction) came from: its id, the task id, who and when."""
    source_id = chosen.get("id")
    task_id = task.get("id")
    if prediction:
        who, who_id = chosen.get("model_version"), None
    else:
        who, who_id = _annotator(chosen.get("completed_by")), annotator_key(chosen.get("completed_by"))
    return Provenance(source_id=None if source_id is None else str(source_id), annotator=who,
                      created_at=chosen.get("created_at"), updated_at=chosen.get("updated_at"),
                      task_id=None if task_id is None else str(task_id), annotator_id=who_id)


_VALUE_LIST = {"choices": "choices", "textarea": "text"}  # result type -> the value key holding its list


def from_labelstudio_results(results: list[dict], document: Document, where: dict[str, Any],
                             problems: list[Problem], schema: Schema | None = None,
                             annotator: str | None = None, gold: bool = True) -> Annotation:
    """Canonical annotation of one Label Studio ``result`` list; problems go to ``problems``.

    ``where`` names the place for messages (``file``, ``task``, ``annotation``). Every
    region is checked: known control and label, offsets inside the text and
    ``text[start:end] == value.text``, attributes on an existing region and valid,
    relations between existing regions with a known role. An attribute's pattern (the
    incident key's) binds ``gold`` results only: SPEC section 2 leaves a system's keys free.
    """
    schema = schema or load_schema()
    text = document.text
    size = len(text)
    prefix = ", ".join(f"{k} {v}" for k, v in where.items() if k != "file" and v is not None)

    def report(message: str, region: str | None = None, field: str | None = None) -> None:
        item = ", ".join(p for p in (prefix, f"region {region}" if region else "") if p)
        problems.append(Problem(message, file=where.get("file"), document=document.id, item=item or None, field=field))

    known_by_control = {ENTITY_CONTROL: schema.label_names, TRIGGER_CONTROL: schema.event_type_names}
    regions: dict[str, tuple[str, Span, str]] = {}
    attributes: dict[str, dict[str, Any]] = {}
    relations: list[dict] = []
    attribute_results = []
    given_regions = 0
    for result in results:
        if result.get("type") == "relation":
            relations.append(result)
            continue
        raw_id = result.get("id")
        kind = type(raw_id)
        if kind is not str and (kind is bool or not isinstance(raw_id, (str, int))):
            given_regions += result.get("from_name") in known_by_control
            report(f"result from {result.get('from_name')!r} has region id {raw_id!r}; "
                   "expected a string", None, "id")
            continue
        region_id = raw_id if kind is str else str(raw_id)
        control = result.get("from_name")
        known = known_by_control.get(control)
        if known is None:
            attribute_results.append(result)
            continue
        given_regions += 1
        value = result.get("value") or {}
        labels = value.get("labels") or []
        if len(labels) != 1 or labels[0] not in known:
            report(f"{control} region has labels {labels!r}; expected exactly one of {', '.join(known)}",
                   region_id, "labels")
            continue
        start, end = value.get("start"), value.get("end")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= size):
            report(f"offsets [{start}, {end}) do not fit a text of {size} code points", region_id, "start")
            continue
        given_text = value.get("text")
        if given_text is not None and text[start:end] != given_text:
            report(f"region text {given_text!r} does not match text[{start}:{end}] = {text[start:end]!r}",
                   region_id, "text")
            continue
        if region_id in regions:
            report("two regions share this id", region_id, "id")
            continue
        regions[region_id] = (control, Span(start, end), labels[0])
    # Regions that were given but rejected above: their attributes and relations are not
    # reported again.
    rejected = {str(r.get("id")) for r in results if r.get("from_name") in (ENTITY_CONTROL, TRIGGER_CONTROL)
                and r.get("type") != "relation"} - set(regions) if given_regions != len(regions) else set()
    attribute_spec = schema.attribute
    for result in attribute_results:
        region_id, name = str(result.get("id")), result.get("from_name")
        spec = attribute_spec(name)
        if spec is None:
            report(f"unknown control {name!r}", region_id, "from_name")
            continue
        if region_id in rejected:
            continue
        if region_id not in regions:
            report(f"attribute {name!r} is on region {region_id}, which does not exist", region_id, name)
            continue
        value = result.get("value") or {}
        result_type = result.get("type")
        given_values = value.get(_VALUE_LIST.get(result_type)) or [None]
        if result_type in ("choices", "textarea") and len(given_values) > 1:
            report(f"attribute {name!r} has {len(given_values)} values ({', '.join(map(repr, given_values))}); "
                   "an attribute holds one: keep one", region_id, name)
            continue
        raw = value.get("number") if result_type == "number" else given_values[0]
        if spec.kind == "integer" and isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        problem = spec.check(raw, pattern=gold)
        if problem:
            report(problem, region_id, name)
            continue
        given = attributes.setdefault(region_id, {})
        if name in given and given[name] != raw:
            report(f"attribute {name!r} is given twice ({given[name]!r} and {raw!r}); keep one", region_id, name)
            continue
        given[name] = raw
    arguments: dict[str, list[Argument]] = {}
    role_names = schema.role_names
    for relation in relations:
        source, target = str(relation.get("from_id")), str(relation.get("to_id"))
        labels = relation.get("labels") or []
        described = f"relation {source} -> {target}"
        if source in rejected or target in rejected:
            continue
        if source not in regions or target not in regions:
            missing = source if source not in regions else target
            report(f"dangling {described}: region {missing} does not exist", missing, "relation")
            continue
        if regions[source][0] != TRIGGER_CONTROL or regions[target][0] != ENTITY_CONTROL:
            report(f"{described} must go from a trigger region to an entity region", source, "relation")
            continue
        if len(labels) != 1 or labels[0] not in role_names:
            report(f"{described} has labels {labels!r}; expected one role of {', '.join(role_names)}",
                   source, "relation")
            continue
        relation_id = relation.get("id")
        provenance = Provenance(source_id=str(relation_id)) if relation_id is not None else None
        arguments.setdefault(source, []).append(Argument(labels[0], regions[target][1], provenance))
    entities, events = [], []
    for region_id, (control, span, label) in regions.items():
        provenance = Provenance(region_id, annotator)
        given = attributes.get(region_id)
        attrs = to_attributes(given)
        if control == ENTITY_CONTROL:
            entities.append(Entity(span, label, attrs, id=region_id, provenance=provenance))
        else:
            events.append(Event(label, span, tuple(arguments.get(region_id, ())), attrs, id=region_id,
                                provenance=provenance))
    return Annotation(document.id, tuple(entities), tuple(events), document=document)


def task_document(task: dict, where: dict[str, Any], problems: list[Problem]) -> Document | None:
    """The Document a task describes (``data.text``, ``data.doc_id``, ``data.meta``)."""
    data = task.get("data") or {}
    text, doc_id = data.get(TEXT_NAME), data.get("doc_id")
    if not isinstance(text, str) or not isinstance(doc_id, str):
        problems.append(Problem("task data needs a string 'text' and 'doc_id'", file=where.get("file"),
                                item=f"task {task.get('id')}", field="data"))
        return None
    meta = data.get("meta") or {}
    return Document(doc_id, text, tuple(meta.items()))


def choose_prediction(task: dict, model_version: str | None = None) -> dict | None:
    """The prediction of ``task`` that counts: the first one, or the first of ``model_version``."""
    candidates = [p for p in task.get("predictions") or []
                  if isinstance(p, dict) and (model_version is None or p.get("model_version") == model_version)]
    return candidates[0] if candidates else None


def from_labelstudio_task(task: dict, where: dict[str, Any], problems: list[Problem],
                          annotator: str | None = None, ground_truth: bool = False,
                          use_prediction: bool = False, schema: Schema | None = None,
                          model_version: str | None = None) -> Annotation | None:
    """Canonical annotation of one exported task (the chosen annotation or prediction).

    Offsets are code points, half-open ``[start, end)``, in Label Studio as here.
    """
    where = {**where, "task": task.get("id")}
    document = task_document(task, where, problems)
    if document is None:
        return None
    if use_prediction:
        chosen = choose_prediction(task, model_version)
        kind = "prediction"
    else:
        chosen = choose_annotation(task, annotator, ground_truth)
        kind = "annotation"
    if chosen is None:
        problems.append(Problem(f"task has no usable {kind}", file=where.get("file"), document=document.id,
                                item=f"task {task.get('id')}"))
        return None
    return from_labelstudio_annotation(task, chosen, document, where, problems, schema, use_prediction)


def from_labelstudio_annotation(task: dict, chosen: dict, document: Document, where: dict[str, Any],
                                problems: list[Problem], schema: Schema | None = None,
                                prediction: bool = False) -> Annotation:
    """Canonical annotation of one annotation (or prediction) ``chosen`` of ``task``, with its provenance.

    Offsets are code points, half-open ``[start, end)``, in Label Studio as here.
    """
    where = {**where, "task": task.get("id"), "prediction" if prediction else "annotation": chosen.get("id")}
    provenance = annotation_provenance(task, chosen, prediction)
    annotation = from_labelstudio_results(chosen.get("result") or [], document, where, problems, schema,
                                          provenance.annotator, gold=not prediction)
    return Annotation(annotation.doc_id, annotation.entities, annotation.events, document, provenance)


def from_labelstudio_export(tasks: Iterable[dict], problems: list[Problem], file: str | None = None,
                            annotator: str | None = None, ground_truth: bool = False,
                            use_prediction: bool = False) -> list[Annotation]:
    """Canonical annotations of a Label Studio JSON export, one per task, in task order."""
    schema = load_schema()
    out = []
    for task in tasks:
        annotation = from_labelstudio_task(task, {"file": file}, problems, annotator, ground_truth,
                                           use_prediction, schema)
        if annotation is not None:
            out.append(annotation)
    return out
