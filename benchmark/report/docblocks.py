"""Generated blocks inside hand-written Markdown (README, DATASHEET).

A block is the text between ``<!-- begin NAME -->`` and ``<!-- end NAME -->``; commands
that produce figures fill their blocks, and tests compare the committed blocks with a
fresh run, so quoted figures cannot go stale.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Mapping

from benchmark.files import write_text_atomic


def _pattern(name: str) -> re.Pattern:
    return re.compile(rf"(<!-- begin {re.escape(name)} -->\n)(.*?)(<!-- end {re.escape(name)} -->)", re.S)


def read_block(text: str, name: str) -> str | None:
    """The content of block ``name``, or None when the text has no such block."""
    match = _pattern(name).search(text)
    return match.group(2) if match else None


def replace_blocks(text: str, blocks: Mapping[str, str]) -> str:
    """``text`` with every block that it contains replaced by the given content."""
    for name, content in blocks.items():
        text = _pattern(name).sub(lambda m: m.group(1) + content + m.group(3), text)
    return text


def update_files(paths: list[Path], blocks: Mapping[str, str]) -> list[Path]:
    """Rewrite the blocks in each file (atomically); return the files that changed."""
    changed = []
    for path in paths:
        if not path.exists():
            continue
        old = path.read_text(encoding="utf-8")
        new = replace_blocks(old, blocks)
        if new != old:
            write_text_atomic(path, new)
            changed.append(path)
    return changed


def stale_blocks(paths: list[Path], blocks: Mapping[str, str]) -> list[str]:
    """``file: block`` for every block whose committed content differs from ``blocks``."""
    stale = []
    for path in paths:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        for name, content in blocks.items():
            found = read_block(text, name)
            if found is not None and found != content:
                stale.append(f"{path.name}: {name}")
    return stale


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmark.report.docblocks NAME [FILE ...]``: put standard input, as a text
    block, into block NAME of the files (default: README.md)."""
    import sys

    from benchmark.paths import ROOT

    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: python -m benchmark.report.docblocks NAME [FILE ...] < text", file=sys.stderr)
        return 2
    content = sys.stdin.read()
    sys.stdout.write(content)
    paths = [Path(p) for p in args[1:]] or [ROOT / "README.md"]
    update_files(paths, {args[0]: "```text\n" + content.rstrip("\n") + "\n```\n"})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
