"""Counts of the gold annotations, as tables (pandas).

Offsets are half-open code-point offsets; these tables only count items.
"""

from __future__ import annotations

from typing import Sequence

import pandas as pd

from benchmark.model import Annotation
from benchmark.schema import load_schema


def label_counts(annotations: Sequence[Annotation]) -> pd.DataFrame:
    """One row per document: entity counts per label, events and arguments; a total row."""
    schema = load_schema()
    records = []
    for annotation in annotations:
        row = {"document": annotation.doc_id}
        for label in schema.label_names:
            row[label] = sum(e.label == label for e in annotation.entities)
        row["events"] = len(annotation.events)
        row["arguments"] = sum(len(e.arguments) for e in annotation.events)
        records.append(row)
    table = pd.DataFrame.from_records(records).set_index("document")
    table.loc["total"] = table.sum()
    return table


def format_label_table(annotations: Sequence[Annotation]) -> str:
    return label_counts(annotations).to_string()
