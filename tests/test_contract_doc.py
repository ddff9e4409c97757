"""docs/CONTRACT.md, the users' contract: linked from the README, and naming every score
key, label, event type, role and attribute (with its values) that the code knows.

Offsets play no part here; the contract itself states the half-open code-point rule.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from benchmark import KEYS

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ROOT / "docs" / "CONTRACT.md"
INCIDENT_KEYS = ("incident.muc", "incident.b3", "incident.ceafe", "incident.conll", "incident.record")
LINKING_FILES = ("README.md", "DATASHEET.md",
                 *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("*.md") if p.name != "CONTRACT.md"))


def contract_text() -> str:
    return CONTRACT.read_text(encoding="utf-8")


def schema_names() -> list[str]:
    """Every label, event type, role and attribute name of the schema, and every choice value."""
    schema = json.loads((ROOT / "annotations" / "schema.json").read_text(encoding="utf-8"))
    names: list[str] = []
    owners = [*schema["entity_labels"].items(), *schema["event_types"].items()]
    for owner, body in owners:
        names.append(owner)
        names += body.get("roles", {})
        for roles in body.get("roles", {}).values():
            names += roles
        for attribute, spec in body.get("attributes", {}).items():
            names.append(attribute)
            names += spec.get("values", [])
    return sorted(set(names))


def github_anchors(markdown: str) -> set[str]:
    """The anchors GitHub gives the headings of ``markdown`` (lower case, punctuation out, spaces to -)."""
    anchors: set[str] = set()
    for heading in re.findall(r"^#{1,6} +(.+?) *$", re.sub(r"```.*?```", "", markdown, flags=re.S), re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        anchor, n = slug, 0
        while anchor in anchors:
            n += 1
            anchor = f"{slug}-{n}"
        anchors.add(anchor)
    return anchors


def test_readme_links_the_contract():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "](docs/CONTRACT.md)" in readme
    body = readme[readme.index("\n---\n", 4) + 5:]
    assert "docs/CONTRACT.md" in body[:body.index("\n## ")], "link the contract before the README's first section"


@pytest.mark.parametrize("key", [*KEYS, *INCIDENT_KEYS])
def test_contract_defines_every_score_key(key):
    assert f"`{key}`" in contract_text()


@pytest.mark.parametrize("name", schema_names())
def test_contract_names_every_schema_name(name):
    assert f"`{name}`" in contract_text()


def test_links_into_the_contract_resolve():
    anchors = github_anchors(contract_text())
    broken = []
    for name in (*LINKING_FILES, "docs/CONTRACT.md"):
        text = (ROOT / name).read_text(encoding="utf-8")
        for target in re.findall(r"\]\(((?:docs/)?CONTRACT\.md)?#([^)\s]+)\)", text):
            file, anchor = target
            if (file or name == "docs/CONTRACT.md") and anchor not in anchors:
                broken.append(f"{name}: #{anchor}")
    assert broken == []


def test_user_documents_cite_the_contract_not_the_spec():
    stale = [f"{name}:{number}: {line.strip()}"
             for name in LINKING_FILES
             for number, line in enumerate((ROOT / name).read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"\bSPEC\b", line)]
    assert stale == [], "point these at docs/CONTRACT.md"
