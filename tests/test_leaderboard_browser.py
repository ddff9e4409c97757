"""index.html in a real browser: rows render, clicking a header sorts, breakdowns open.

Headless Chromium from Debian (``/usr/bin/chromium``) driven by Playwright's Python
client; Playwright's own browser downloads are never used. The page is opened from
``file://`` with every network request recorded, to show that it needs nothing else.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmark.cli import main

from test_leaderboard import make_inputs

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is absent: install Debian's "
                                "chromium package (apt-get install -y chromium) to run the browser test")


@pytest.fixture(scope="module")
def page_file(tmp_path_factory, corpus):
    base = tmp_path_factory.mktemp("browser")
    gold_file, root = make_inputs(base, corpus)
    out = base / "out"
    assert main(["leaderboard", str(root), "--out", str(out), "--gold", str(gold_file)]) == 0
    return out / "index.html", json.loads((out / "leaderboard.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser, page_file):
    html, _ = page_file
    context = browser.new_context()
    page = context.new_page()
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(html.as_uri())
    yield page
    assert requests == [html.as_uri()], "the page loaded something besides itself"
    assert errors == []
    context.close()


def names(page) -> list[str]:
    return page.eval_on_selector_all("#leaderboard tbody tr", "rows => rows.map(r => r.dataset.name)")


def click_header(page, label: str) -> None:
    page.locator("#leaderboard thead th button", has_text=label).first.click()


def test_rows_render_in_rank_order(page, page_file):
    _, board = page_file
    assert names(page) == [e["name"] for e in board["entries"]]
    first = page.locator("#leaderboard tbody tr").first
    assert first.is_visible()
    assert first.locator("td").nth(0).inner_text() == "1"
    ranks = page.eval_on_selector_all("#leaderboard tbody tr td:first-child", "cells => cells.map(c => c.innerText)")
    assert ranks == ["1", "2", "=3", "=3", "5"]


def test_clicking_a_header_reorders_rows(page, page_file):
    _, board = page_file
    by_name = sorted(e["name"] for e in board["entries"])
    click_header(page, "System")
    assert names(page) == by_name
    assert page.get_attribute("#leaderboard thead th:nth-child(2)", "aria-sort") == "ascending"
    click_header(page, "System")
    assert names(page) == by_name[::-1]
    click_header(page, "casualty")  # numbers, highest first; equal values keep rank order
    casualty = [(-e["scores"]["casualty"]["f1"], i) for i, e in enumerate(board["entries"])]
    assert names(page) == [board["entries"][i]["name"] for _, i in sorted(casualty)]
    click_header(page, "Rank")
    assert names(page) == [e["name"] for e in board["entries"]]


def test_breakdown_opens_on_demand(page):
    details = page.locator("details#breakdown-0")
    assert details.get_attribute("open") is None
    assert not details.locator("table").is_visible()
    page.locator("#leaderboard tbody tr").first.locator("a.breakdown-link").click()
    assert details.get_attribute("open") is not None
    assert details.locator("table").is_visible()
    assert details.locator("td", has_text="INSTRUMENT").first.is_visible()


def test_skipped_submissions_listed(page):
    folders = page.eval_on_selector_all("#skipped > li", "items => items.map(i => i.dataset.folder)")
    assert folders == ["escape", "malformed"]
    assert page.locator("#skipped li.reason", has_text="symbolic link").is_visible()


VIEWPORTS = {"desktop": (1280, 800), "phone": (390, 844)}


@pytest.mark.parametrize("device", VIEWPORTS)
def test_every_column_is_inside_the_viewport(browser, page_file, tmp_path, device):
    """At 1280 px every column of the ranked table, and on a phone (390 px, one card per
    system) every cell, lies inside the visible width; whether a system used the test
    documents is visible without scrolling. A screenshot of each is taken."""
    html, board = page_file
    width, height = VIEWPORTS[device]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(html.as_uri())
    shot = tmp_path / f"leaderboard-{width}.png"
    page.screenshot(path=str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling

    def inside(box) -> bool:
        return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5

    cells = page.locator("#leaderboard tbody tr").first.locator("td")
    labels = [cells.nth(i).get_attribute("data-label") for i in range(cells.count())]
    headers = page.locator("#leaderboard thead th")
    names = [headers.nth(i).inner_text().replace("\u200b", "").replace("\n", "").strip(" \u2195")
             for i in range(headers.count())]
    assert len(labels) == len(names) == 8 + len(board["manifest"]["shown_keys"])
    for index, label in enumerate(labels):
        assert inside(cells.nth(index).bounding_box()), f"{device}: column {label!r} is outside the viewport"
    if device == "desktop":
        for index, name in enumerate(names):
            assert inside(headers.nth(index).bounding_box()), f"header {name!r} is outside the viewport"
    else:  # cards: the header row is hidden and each value carries its column's name
        assert not page.locator("#leaderboard thead").is_visible() or \
            page.locator("#leaderboard thead").bounding_box()["width"] <= 1
        before = cells.nth(labels.index("Used test documents")).evaluate(
            "cell => getComputedStyle(cell, '::before').content")
        assert before == '"Used test documents"'
    used = page.locator("#leaderboard tbody tr").first.locator("td.used-test")
    box = used.bounding_box()
    assert inside(box) and 0 <= box["y"] and box["y"] + box["height"] <= height, f"{device}: {box}"
    assert used.inner_text() in ("yes", "no") and used.is_visible()
    context.close()
