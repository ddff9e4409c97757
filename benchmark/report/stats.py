"""Statistics of the gold annotations, as pandas tables, Markdown and a figure.

Counts only; offsets (half-open code points) play no part. The tables quoted in the
README and DATASHEET.md are generated from here (``iraq-attacks stats --write``).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Sequence

import pandas as pd

from benchmark.incidents import IncidentRecord
from benchmark.model import Annotation
from benchmark.schema import load_schema
from benchmark.tokens import sentences_of

RECORD_COLUMNS = ("date", "place", "killed", "injured")


def overview(annotations: Sequence[Annotation]) -> pd.DataFrame:
    """Per document: sentences, tokens, entities per label, events, arguments; a total row."""
    schema = load_schema()
    records = []
    for annotation in annotations:
        sentences = sentences_of(annotation.document)
        row = {"document": annotation.doc_id, "sentences": len(sentences),
               "tokens": sum(len(s.tokens) for s in sentences)}
        labels = Counter(e.label for e in annotation.entities)
        row.update({label: labels[label] for label in schema.label_names})
        row["events"] = len(annotation.events)
        row["arguments"] = sum(len(e.arguments) for e in annotation.events)
        records.append(row)
    table = pd.DataFrame.from_records(records).set_index("document")
    table.loc["total"] = table.sum()
    return table


def attribute_values(annotations: Sequence[Annotation]) -> pd.DataFrame:
    """How often each attribute value occurs (entities and events), by label or type."""
    counts: Counter = Counter()
    for annotation in annotations:
        for entity in annotation.entities:
            for name, value in entity.attributes:
                counts[(entity.label, name, str(value))] += 1
        for event in annotation.events:
            for name, value in event.attributes:
                if name != "incident":
                    counts[(event.event_type, name, str(value))] += 1
    # Integer values (CASUALTY count, WEAPON quantity) sort as numbers: 2 before 10.
    def order(item):
        (label, attribute, value), _ = item
        return (label, attribute, (0, int(value), "") if value.lstrip("-").isdigit() else (1, 0, value))

    rows = [{"label": l, "attribute": a, "value": v, "count": c} for (l, a, v), c in sorted(counts.items(), key=order)]
    return pd.DataFrame(rows, columns=["label", "attribute", "value", "count"])


def roles(annotations: Sequence[Annotation]) -> pd.DataFrame:
    """Arguments per role per document; a total row."""
    schema = load_schema()
    records = []
    for annotation in annotations:
        found = Counter(a.role for e in annotation.events for a in e.arguments)
        records.append({"document": annotation.doc_id, **{r: found[r] for r in schema.role_names}})
    table = pd.DataFrame.from_records(records).set_index("document")
    table.loc["total"] = table.sum()
    return table


def incidents(annotations: Sequence[Annotation], records: Sequence[IncidentRecord] | None = None) -> pd.DataFrame:
    """Each incident key: its event mentions and the documents that mention it; with the gold
    ``records`` (SPEC 1.3), also each record's date, place, killed and injured (empty: no record)."""
    mentions: Counter = Counter()
    documents: dict[str, list[str]] = {}
    for annotation in annotations:
        for event in annotation.events:
            key = event.attrs.get("incident")
            if key is None:
                continue
            mentions[key] += 1
            if annotation.doc_id not in documents.setdefault(key, []):
                documents[key].append(annotation.doc_id)
    keyless = sum(1 for a in annotations for e in a.events if "incident" not in e.attrs)
    rows = [{"incident": k, "mentions": mentions[k], "documents": ", ".join(documents[k])} for k in sorted(mentions)]
    rows.append({"incident": "(no key)", "mentions": keyless, "documents": ""})
    columns = ["incident", "mentions", "documents"]
    if records is not None:
        by_key = {r.incident: r for r in records}
        for row in rows:
            record = by_key.get(row["incident"])
            row.update({name: "" if record is None or getattr(record, name) is None else getattr(record, name)
                        for name in RECORD_COLUMNS})
        columns += list(RECORD_COLUMNS)
    return pd.DataFrame(rows, columns=columns)


def incident_summary(annotations: Sequence[Annotation], records: Sequence[IncidentRecord] | None = None) -> str:
    """One line: incident keys, gold records, keyed and keyless event mentions."""
    keys = {e.attrs["incident"] for a in annotations for e in a.events if "incident" in e.attrs}
    keyed = sum(1 for a in annotations for e in a.events if "incident" in e.attrs)
    keyless = sum(1 for a in annotations for e in a.events if "incident" not in e.attrs)
    shown = "no records file" if records is None else f"{len(records)} records"
    return f"{len(keys)} incidents (keys), {shown}, {keyed} event mentions with a key, {keyless} without"


def _markdown(table: pd.DataFrame, index: bool = True) -> str:
    frame = table.reset_index() if index else table
    header = [str(c) for c in frame.columns]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines) + "\n"


def stats_blocks(annotations: Sequence[Annotation], records: Sequence[IncidentRecord] | None = None
                 ) -> dict[str, str]:
    """The Markdown tables by name (each quoted in the README / DATASHEET by that name)."""
    return {"stats-overview": _markdown(overview(annotations)),
            "stats-attributes": _markdown(attribute_values(annotations), index=False),
            "stats-roles": _markdown(roles(annotations)),
            "stats-incidents": _markdown(incidents(annotations, records), index=False)}


def format_stats(annotations: Sequence[Annotation], records: Sequence[IncidentRecord] | None = None) -> str:
    """Every table, for the terminal."""
    parts = [("Documents, tokens, entities per label, events", overview(annotations).to_string()),
             ("Attribute values", attribute_values(annotations).to_string(index=False)),
             ("Arguments per role", roles(annotations).to_string()),
             ("Incidents", incident_summary(annotations, records) + "\n"
              + incidents(annotations, records).to_string(index=False))]
    return "\n\n".join(f"{title}\n{body}" for title, body in parts) + "\n"


def write_figure(annotations: Sequence[Annotation], path: Path) -> None:
    """A PNG of label and role distributions per document (matplotlib, no display)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    schema = load_schema()
    labels = overview(annotations).drop(index="total")[list(schema.label_names)]
    role_table = roles(annotations).drop(index="total")
    figure, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    for axis, table, title in ((axes[0], labels, "Entity labels per document"),
                               (axes[1], role_table, "Argument roles per document")):
        table.index = [doc.split("_")[0] for doc in table.index]
        table.plot.bar(stacked=True, ax=axis, rot=0)
        axis.set_title(title)
        axis.set_xlabel("document")
        axis.set_ylabel("count")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=100, metadata={"Software": None})
    plt.close(figure)
