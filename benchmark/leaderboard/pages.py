"""The leaderboard as ``leaderboard.json`` and ``leaderboard.md``, and the cell formats ``html`` shares.

Formats the board that ``benchmark.leaderboard.board.build_leaderboard`` returns; with
``html``, the only place where its fractions become percentages.
"""

from __future__ import annotations

import json
import re
from typing import Any, Mapping

from benchmark.report.tables import format_p, percent


def format_json(board: Mapping[str, Any]) -> str:
    """leaderboard.json: sorted keys, two-space indent, UTF-8, one trailing newline."""
    return json.dumps(board, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def format_score(entry: Mapping[str, Any], key: str) -> str:
    """F1 with its 95% interval: ``45.7 [30.0, 61.2]``."""
    result = entry["scores"][key]
    interval = result.get("interval", {}).get("f1")
    if interval is None:
        return percent(result["f1"])
    return f"{percent(result['f1'])} [{percent(interval['low'])}, {percent(interval['high'])}]"


def format_rank(entry: Mapping[str, Any]) -> str:
    return f"={entry['rank']}" if entry["tied"] else str(entry["rank"])


def p_clause(p_value: float) -> str:
    """``= 0.012``, or ``< 0.001`` for a p-value that would print as 0.000."""
    text = format_p(p_value)
    return text if text.startswith("<") else f"= {text}"


def format_versus(entry: Mapping[str, Any]) -> str:
    versus = entry["better_than_next"]
    if versus is None:
        return "–"
    return f"{'yes' if versus['significant'] else 'no'} (p {p_clause(versus['p_value'])})"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~])")


def md_escape(text: str) -> str:
    """Untrusted text for a Markdown table cell: specials escaped, line breaks flattened."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _md_name(entry: Mapping[str, Any]) -> str:
    url = entry["metadata"].get("url")
    name = md_escape(entry["name"])
    if url:
        return f"[{name}](<{url.replace('<', '%3C').replace('>', '%3E').replace(' ', '%20')}>)"
    return name


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def format_markdown(board: Mapping[str, Any]) -> str:
    """leaderboard.md: the ranked table, breakdowns, skipped submissions and the manifest."""
    manifest = board["manifest"]
    keys = manifest["shown_keys"]
    lines = ["# Leaderboard", "",
             f"Ranked by `{manifest['rank_by']}` F1. Scores are F1 in percent with a 95% bootstrap interval over "
             f"documents ({manifest['bootstrap']['resamples']} resamples, seed {manifest['bootstrap']['seed']}). "
             f"\"Beats next\": whether the entry is significantly better than the one below it on "
             f"`{manifest['rank_by']}` (paired bootstrap over documents, p < {manifest['bootstrap']['significance_level']}). "
             "Tied entries share a rank, written `=N`.", ""]
    header = ["Rank", "System", "Team", *[f"`{k}`" for k in keys], "Beats next", "External data",
              "Used test documents", "Date"]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "|".join("---:" if h.startswith("`") or h == "Rank" else "---" for h in header) + "|")
    for entry in board["entries"]:
        meta = entry["metadata"]
        cells = [format_rank(entry), _md_name(entry), md_escape(meta["team"]),
                 *[format_score(entry, k) for k in keys], format_versus(entry), _yes_no(meta["external_data"]),
                 _yes_no(meta["used_test_documents"]), meta["date"]]
        lines.append("| " + " | ".join(cells) + " |")
    if not board["entries"]:
        lines += ["", "No submission was scored."]
    lines += ["", "## Systems", ""]
    for entry in board["entries"]:
        meta = entry["metadata"]
        missing = entry["missing_documents"]
        lines.append(f"- **{md_escape(entry['name'])}** ({md_escape(meta['team'])}; contact: "
                     f"{md_escape(meta['contact'])}; folder `{entry['folder']}`, {entry['prediction_file']}): "
                     f"{md_escape(meta['description'])}"
                     + (f" Missing documents (scored as empty): {', '.join(missing)}." if missing else ""))
    lines += ["", "## Breakdowns", "",
              "Precision, recall and F1 in percent, per label (entities, casualty), per event type "
              "(triggers, events) or per role (arguments).", ""]
    for entry in board["entries"]:
        lines += [f"### {md_escape(entry['name'])}", "", "| key | group | P | R | F1 | tp | predicted | gold |",
                  "|---|---|---:|---:|---:|---:|---:|---:|"]
        for key in manifest["keys"]:
            result = entry["scores"][key]
            lines.append(_md_breakdown_row(key, "all", result))
            for group, counts in result["groups"].items():
                lines.append(_md_breakdown_row(key, md_escape(group), counts))
        lines.append("")
    lines += ["## Skipped submissions", ""]
    if board["skipped"]:
        for item in board["skipped"]:
            lines.append(f"- `{item['folder']}`:")
            lines += [f"  - {md_escape(reason)}" for reason in item["reasons"]]
    else:
        lines.append("None.")
    lines += ["", "## Manifest", "", "```json", json.dumps(manifest, sort_keys=True, indent=2), "```", ""]
    return "\n".join(lines)


def _md_breakdown_row(key: str, group: str, counts: Mapping[str, Any]) -> str:
    return (f"| `{key}` | {group} | {percent(counts['precision'])} | {percent(counts['recall'])} | "
            f"{percent(counts['f1'])} | {counts['tp']} | {counts['predicted']} | {counts['gold']} |")
