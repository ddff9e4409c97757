"""The leaderboard as one self-contained static page (``index.html``).

No external asset: the CSS and the sorting script are inline, a Content-Security-Policy
forbids loading anything else, and the page works opened from ``file://``. Every value
that came from a submission is HTML-escaped; links are only the ``http(s)`` addresses
that metadata validation accepted. Scores are the fractions of ``leaderboard.json``
shown as percentages (offsets play no part here).
"""

from __future__ import annotations

import json
from html import escape
from typing import Any, Mapping

from benchmark.leaderboard.pages import format_rank, format_score, p_clause
from benchmark.report.tables import percent

CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 1.5rem auto; max-width: 82rem;
       padding: 0 1rem; color: #1b1b1b; line-height: 1.4; }
h1 { margin-bottom: .25rem; }
.note { color: #444; max-width: 60rem; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: 1rem 0; font-size: .92rem; }
th, td { padding: .35rem .6rem; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
thead th { background: #f3f3f3; position: sticky; top: 0; }
th button { font: inherit; font-weight: 600; background: none; border: 0; padding: 0; cursor: pointer; color: inherit;
            text-align: inherit; }
th button::after { content: " \\2195"; color: #999; }
th[aria-sort="ascending"] button::after { content: " \\2191"; color: #1b1b1b; }
th[aria-sort="descending"] button::after { content: " \\2193"; color: #1b1b1b; }
tbody tr:hover { background: #fafae6; }
.ci { color: #666; font-size: .85em; }
.yes { color: #0a6a2a; font-weight: 600; }
.flag { color: #8a4b00; font-weight: 600; }
details { margin: .5rem 0; border: 1px solid #ddd; border-radius: 4px; padding: .3rem .8rem; }
details > summary { cursor: pointer; font-weight: 600; }
details table { font-size: .85rem; }
tr.total td { font-weight: 600; border-top: 2px solid #ccc; }
.skipped li { margin-bottom: .4rem; }
.skipped code, .reason { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .85rem; }
pre { background: #f6f6f6; padding: .8rem; overflow-x: auto; font-size: .85rem; }
/* The ranked table: every column inside the page at 1280 px (narrow cells, wrapping headers,
   the interval under its score); on a phone, one card per system. */
#leaderboard { width: 100%; font-size: .85rem; }
#leaderboard th, #leaderboard td { padding: .3rem .4rem; }
#leaderboard thead th { vertical-align: bottom; }
#leaderboard td.num .ci { display: block; }
#leaderboard td.name { min-width: 7rem; }
@media (max-width: 760px) {
  body { margin: 1rem auto; }
  #leaderboard, #leaderboard tbody, #leaderboard tr, #leaderboard td { display: block; width: auto; }
  #leaderboard thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
  #leaderboard tr { border: 1px solid #ccc; border-radius: 6px; margin: 0 0 .8rem; padding: .2rem .6rem; }
  #leaderboard td, #leaderboard td.num { display: flex; align-items: baseline; gap: .4rem; text-align: right;
                                         white-space: normal; min-width: 0; }
  #leaderboard td::before { content: attr(data-label); font-weight: 600; text-align: left; color: #333;
                            margin-right: auto; padding-right: .6rem; }
  #leaderboard td:last-child { border-bottom: 0; }
  #leaderboard td.num .ci { display: inline; }
}
"""

SCRIPT = """
(function () {
  "use strict";
  var table = document.getElementById("leaderboard");
  if (!table) { return; }
  var tbody = table.tBodies[0];
  var headers = table.tHead.rows[0].cells;
  function value(row, index, type) {
    var raw = row.cells[index].getAttribute("data-value");
    if (type === "number") { var n = parseFloat(raw); return isNaN(n) ? -Infinity : n; }
    return (raw || "").toLowerCase();
  }
  function sortBy(index) {
    var th = headers[index];
    var type = th.getAttribute("data-type");
    var current = th.getAttribute("aria-sort");
    var ascending = current ? current !== "ascending" : th.getAttribute("data-first") === "ascending";
    var rows = Array.prototype.slice.call(tbody.rows);
    rows.sort(function (a, b) {
      var x = value(a, index, type), y = value(b, index, type);
      var order = x < y ? -1 : x > y ? 1 : 0;
      if (!ascending) { order = -order; }
      return order || (parseInt(a.getAttribute("data-order"), 10) - parseInt(b.getAttribute("data-order"), 10));
    });
    rows.forEach(function (row) { tbody.appendChild(row); });
    for (var i = 0; i < headers.length; i++) { headers[i].removeAttribute("aria-sort"); }
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }
  Array.prototype.forEach.call(headers, function (th, index) {
    var button = th.querySelector("button");
    if (button) { button.addEventListener("click", function () { sortBy(index); }); }
  });
  Array.prototype.forEach.call(document.querySelectorAll("a.breakdown-link"), function (link) {
    link.addEventListener("click", function () {
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (target) { target.open = true; }
    });
  });
})();
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _header(label: str, kind: str, first: str, title: str = "") -> str:
    classes = ' class="num"' if kind == "number" else ""
    tip = f' title="{_e(title)}"' if title else ""
    shown = _e(label).replace(".", ".<wbr>")  # long score keys may wrap after a dot
    return (f'<th scope="col"{classes} data-type="{kind}" data-first="{first}"{tip}>'
            f'<button type="button">{shown}</button></th>')


def _cell(label: str, text: str, value: object, number: bool = False, html: str | None = None,
          css: str = "") -> str:
    """A cell; ``label`` is its column's name, shown before the value in the phone layout."""
    classes = " ".join(c for c in ("num" if number else "", css) if c)
    attribute = f' class="{classes}"' if classes else ""
    return (f'<td{attribute} data-label="{_e(label)}" data-value="{_e(value)}">'
            f"{html if html is not None else _e(text)}</td>")


def _name_html(entry: Mapping[str, Any]) -> str:
    url = entry["metadata"].get("url")
    name = _e(entry["name"])
    if url:
        return f'<a href="{_e(url)}" rel="noopener noreferrer nofollow">{name}</a>'
    return name


def _score_html(entry: Mapping[str, Any], key: str) -> str:
    text = format_score(entry, key)
    f1, _, interval = text.partition(" ")
    return f'{_e(f1)} <span class="ci">{_e(interval)}</span>' if interval else _e(f1)


def _versus_html(entry: Mapping[str, Any]) -> tuple[str, object]:
    versus = entry["better_than_next"]
    if versus is None:
        return "–", ""
    p = f"p {p_clause(versus['p_value'])}"
    if versus["significant"]:
        return f'<span class="yes">yes</span> <span class="ci">{_e(p)}</span>', 1 - versus["p_value"]
    return f'no <span class="ci">{_e(p)}</span>', 1 - versus["p_value"]


def _yes_no(value: bool, flag: bool = False) -> str:
    if value:
        return '<span class="flag">yes</span>' if flag else "yes"
    return "no"


USED_TEST = "Used test documents"


def _main_table(board: Mapping[str, Any]) -> str:
    """The ranked table. "Used test documents" comes right after the system and team, so that
    it is seen first, on a wide screen and at the top of each card on a phone."""
    manifest = board["manifest"]
    keys = manifest["shown_keys"]
    head = [_header("Rank", "number", "ascending", "Tied entries share a rank, written =N"),
            _header("System", "text", "ascending"), _header("Team", "text", "ascending"),
            _header(USED_TEST, "text", "descending", "Whether the system was built with the test documents "
                    "in view (its scores are then optimistic)")]
    head += [_header(key, "number", "descending", f"{key} F1 (%) with its 95% bootstrap interval") for key in keys]
    head += [_header("Beats next", "number", "descending",
                     f"Significantly better than the entry below on {manifest['rank_by']} "
                     f"(paired bootstrap, p < {manifest['bootstrap']['significance_level']})"),
             _header("External data", "text", "ascending"),
             _header("Date", "text", "descending"), '<th scope="col">Breakdown</th>']
    rows = []
    for order, entry in enumerate(board["entries"]):
        meta = entry["metadata"]
        versus_html, versus_value = _versus_html(entry)
        cells = [_cell("Rank", format_rank(entry), entry["rank"], number=True),
                 _cell("System", "", entry["name"], html=_name_html(entry), css="name"),
                 _cell("Team", meta["team"], meta["team"]),
                 _cell(USED_TEST, "", _yes_no(meta["used_test_documents"]),
                       html=_yes_no(meta["used_test_documents"], flag=True), css="used-test")]
        cells += [_cell(key, "", entry["scores"][key]["f1"], number=True, html=_score_html(entry, key))
                  for key in keys]
        cells += [_cell("Beats next", "", versus_value, html=versus_html),
                  _cell("External data", "", _yes_no(meta["external_data"]), html=_yes_no(meta["external_data"])),
                  _cell("Date", meta["date"], meta["date"]),
                  f'<td data-label="Breakdown"><a class="breakdown-link" href="#breakdown-{order}">per label</a></td>']
        rows.append(f'<tr data-order="{order}" data-name="{_e(entry["name"])}">' + "".join(cells) + "</tr>")
    if not rows:
        return '<p id="no-entries">No submission was scored.</p>'
    return ('<div class="scroll"><table id="leaderboard">\n<thead><tr>' + "".join(head) + "</tr></thead>\n<tbody>\n"
            + "\n".join(rows) + "\n</tbody>\n</table></div>")


def _interval_text(counts: Mapping[str, Any]) -> str:
    interval = counts.get("interval", {}).get("f1")
    return f"[{percent(interval['low'])}, {percent(interval['high'])}]" if interval else ""


def _breakdown_row(key: str, group: str, counts: Mapping[str, Any], total: bool) -> str:
    cls = ' class="total"' if total else ""
    return (f"<tr{cls}><td><code>{_e(key)}</code></td><td>{_e(group)}</td>"
            f'<td class="num">{percent(counts["precision"])}</td><td class="num">{percent(counts["recall"])}</td>'
            f'<td class="num">{percent(counts["f1"])} <span class="ci">{_interval_text(counts)}</span></td>'
            f'<td class="num">{_e(counts["tp"])}</td><td class="num">{_e(counts["predicted"])}</td>'
            f'<td class="num">{_e(counts["gold"])}</td></tr>')


def _breakdowns(board: Mapping[str, Any]) -> str:
    parts = []
    for order, entry in enumerate(board["entries"]):
        meta = entry["metadata"]
        rows = []
        for key in board["manifest"]["keys"]:
            result = entry["scores"][key]
            rows.append(_breakdown_row(key, "all", result, True))
            rows += [_breakdown_row(key, group, counts, False) for group, counts in result["groups"].items()]
        missing = entry["missing_documents"]
        missing_html = (f"<p>Documents missing from the predictions (scored as empty): {_e(', '.join(missing))}</p>"
                        if missing else "")
        parts.append(
            f'<details id="breakdown-{order}" class="breakdown"><summary>{_e(format_rank(entry))}. {_e(entry["name"])}'
            f" — per label, role and event type</summary>\n"
            f"<p>{_e(meta['team'])}; contact: {_e(meta['contact'])}; submitted {_e(meta['date'])}; "
            f"file <code>{_e(entry['folder'])}/{_e(entry['prediction_file'])}</code>.</p>\n"
            f"<p>{_e(meta['description'])}</p>\n{missing_html}"
            '<div class="scroll"><table><thead><tr><th>key</th><th>group</th><th class="num">P</th><th class="num">R</th>'
            '<th class="num">F1 [95% interval]</th><th class="num">tp</th><th class="num">predicted</th>'
            '<th class="num">gold</th></tr></thead><tbody>\n' + "\n".join(rows) + "\n</tbody></table></div></details>")
    return "\n".join(parts)


def _skipped(board: Mapping[str, Any]) -> str:
    if not board["skipped"]:
        return '<p id="no-skipped">None.</p>'
    items = []
    for item in board["skipped"]:
        reasons = "".join(f'<li class="reason">{_e(reason)}</li>' for reason in item["reasons"])
        items.append(f'<li data-folder="{_e(item["folder"])}"><code>{_e(item["folder"])}</code><ul>{reasons}</ul></li>')
    return '<ul class="skipped" id="skipped">' + "".join(items) + "</ul>"


def format_html(board: Mapping[str, Any]) -> str:
    """index.html: sortable ranked table, per-label breakdowns on demand, skipped submissions, manifest."""
    manifest = board["manifest"]
    boot = manifest["bootstrap"]
    title = f"{manifest['benchmark']['name']} leaderboard"
    note = (f"Ranked by <code>{_e(manifest['rank_by'])}</code> F1. Scores are F1 in percent with a "
            f"{int(round(100 * boot['confidence']))}% bootstrap interval over documents ({_e(boot['resamples'])} "
            f"resamples, seed {_e(boot['seed'])}). “Beats next”: significantly better than the entry below it "
            f"(paired bootstrap over documents, p &lt; {_e(boot['significance_level'])}). Tied entries share a "
            "rank (=N). On a wide screen, click a column header to sort; open a breakdown for per-label, per-role and per-type scores.")
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="note">{note}</p>',
        _main_table(board),
        "<h2>Breakdowns</h2>",
        _breakdowns(board) or "<p>None.</p>",
        "<h2>Skipped submissions</h2>",
        _skipped(board),
        "<h2>Manifest</h2>",
        f'<pre id="manifest">{_e(json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False))}</pre>',
        f"<script>{SCRIPT}</script>",
        "</body>",
        "</html>",
        "",
    ])
