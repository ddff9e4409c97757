"""Reading inputs once with a size limit, and atomic writes.

Reading: ``read_input_bytes`` reads a file, a pipe or standard input (``-``) exactly
once, refusing more than ``max_bytes`` before the data can cost memory.

Writing: a temporary file in the same folder, then a rename, so that a reader sees the
old file or the new one, never half. The new file gets the permissions the umask gives
(``0o666 & ~umask``, as ``open`` would), not ``mkstemp``'s 0600. On any failure (a full
disk included) the temporary file is removed and a ``BenchmarkError`` names the target
path. ``replace_folder_files`` replaces several files of one folder as one set (see its
docstring).
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import sys
import tempfile
from pathlib import Path
from typing import Iterator, Mapping

from benchmark.errors import BenchmarkError, Problem

STDIN = "-"
MiB = 1024 * 1024
DEFAULT_MAX_BYTES = 256 * MiB
MAX_DEPTH = 64  # nesting depth of any JSON input
INT_MIN, INT_MAX = -(2 ** 63), 2 ** 63 - 1  # integers: the signed 64-bit range


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_failed(path: Path, error: OSError, what: str = "cannot write") -> BenchmarkError:
    return BenchmarkError([Problem(f"{what}: {error.strerror or error}", file=str(path))])


def _too_big(name: str, size: int | None, max_bytes: int) -> BenchmarkError:
    told = f"is {size} bytes" if size is not None else "holds more bytes than allowed"
    return BenchmarkError([Problem(f"{told}; the limit is {max_bytes} bytes (raise it with --max-bytes)",
                                   file=name)])


def read_input_bytes(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of ``path`` (``-`` is standard input), read once, at most ``max_bytes``.

    Works on pipes and process substitution (``/dev/stdin``, ``/dev/fd/63``): the data
    is read from start to end once and never seeked. Raises ``BenchmarkError`` naming
    the path when the file cannot be read or is larger than ``max_bytes``.
    """
    return b"".join(read_input_chunks(path, max_bytes))


def read_input_chunks(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES, chunk_size: int = 4 * MiB) -> Iterator[bytes]:
    """The bytes of ``path`` (``-`` is standard input) in pieces of at most ``chunk_size``,
    read once from start to end, at most ``max_bytes`` in all.

    The limits and errors of ``read_input_bytes``: a regular file larger than
    ``max_bytes`` is refused before anything is read; a pipe when it passes the limit.
    """
    name = str(path)
    if max_bytes <= 0:
        raise BenchmarkError([Problem("the size limit must be a positive number of bytes", field="--max-bytes")])
    try:
        if name == STDIN:
            fd, close = sys.stdin.buffer.fileno(), False
        else:
            fd, close = os.open(path, os.O_RDONLY), True
    except OSError as error:
        raise _write_failed(Path(name), error, "cannot read") from None
    except (AttributeError, ValueError):
        raise BenchmarkError([Problem("standard input is not available", file=name)]) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise BenchmarkError([Problem("is a folder; a folder is read as brat standoff (--format brat)",
                                          file=name)])
        if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
            raise _too_big(name, info.st_size, max_bytes)
        total = 0
        while True:
            try:
                chunk = os.read(fd, min(chunk_size, max_bytes + 1 - total))
            except OSError as error:
                raise _write_failed(Path(name), error, "cannot read") from None
            if not chunk:
                return
            total += len(chunk)
            if total > max_bytes:
                raise _too_big(name, None, max_bytes)
            yield chunk
    finally:
        if close:
            os.close(fd)


def write_text_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` so that readers see the old or the new file, never half."""
    write_bytes_atomic(path, text.encode("utf-8"))


def _write_temporary(folder: Path, name: str, data: bytes, mode: int) -> str:
    """A new file in ``folder`` holding ``data`` with ``mode``; its path. Removed again on failure."""
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def output_target(path: str | Path) -> Path:
    """The file an atomic write of ``path`` replaces: ``path``, or the file a symbolic link
    there points to (the link stays a link). Raises ``BenchmarkError`` naming ``path`` when
    that exists and is not a regular file (a folder, a device such as ``/dev/full``, a
    pipe): renaming a new file onto it would replace the device or pipe itself."""
    target = Path(os.path.realpath(path))
    try:
        info = os.stat(target)
    except OSError:
        return target  # absent (or not even readable: the write says why)
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a device, pipe or socket"
        raise BenchmarkError([Problem(f"is {kind}, not a file: the output is written to a new file and renamed "
                                      "into place; give a file path", file=str(path))])
    return target


def write_bytes_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, creating parent folders; permissions follow the umask.

    Raises ``BenchmarkError`` naming ``path`` when it cannot be written (or is not a file,
    see ``output_target``); nothing is left behind.
    """
    path = Path(path)
    target = output_target(path)
    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = _write_temporary(target.parent, target.name, data, 0o666 & ~_umask())
        os.replace(tmp, target)
    except OSError as error:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise _write_failed(path, error) from None


def replace_folder_files(folder: str | Path, files: Mapping[str, bytes]) -> list[Path]:
    """Replace the files ``files`` (name -> bytes) of ``folder`` as one set.

    The choice: the new set is built in a fresh sibling folder (``.NAME.new-*``) holding
    the new files and hard links (or copies) of everything else the folder holds; then
    the old folder is renamed aside and the new one renamed into its place, and the old
    one removed. A reader sees every old file or every new one, never a mix (between the
    two renames, for an instant, the folder is absent). On any failure, the new folder is
    removed and the old one is left as it was; ``BenchmarkError`` names the path.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise BenchmarkError([Problem("exists and is not a folder; give a folder (new or existing) for the output",
                                      file=str(folder))])
    parent = folder.parent
    mode = 0o666 & ~_umask()
    staging = aside = None
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=parent, prefix=f".{folder.name}.new-"))
        os.chmod(staging, 0o777 & ~_umask())
        if folder.is_dir():
            os.chmod(staging, stat.S_IMODE(folder.stat().st_mode))
            for entry in folder.iterdir():
                if entry.name in files:
                    continue
                target = staging / entry.name
                if entry.is_dir() and not entry.is_symlink():
                    shutil.copytree(entry, target, symlinks=True, copy_function=_link_or_copy)
                else:
                    _link_or_copy(entry, target)
        for name, data in files.items():
            os.replace(_write_temporary(staging, name, data, mode), staging / name)
        if folder.exists():
            aside = Path(tempfile.mkdtemp(dir=parent, prefix=f".{folder.name}.old-"))
            os.rename(folder, aside / folder.name)
        os.rename(staging, folder)
        staging = None
    except OSError as error:
        if aside is not None and not folder.exists() and (aside / folder.name).exists():
            os.rename(aside / folder.name, folder)
        raise _write_failed(folder, error) from None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        if aside is not None:
            shutil.rmtree(aside, ignore_errors=True)
    return [folder / name for name in files]


def _link_or_copy(source: str | Path, target: str | Path) -> None:
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, target, follow_symlinks=False)


_BIG_INTEGER = re.compile(rb"(?<![0-9.eE+-])-?[0-9]{19,}(?![0-9.eE])")  # 19 digits and more: maybe past 64 bits
_DIGITS = bytes(ord("9") if byte in b"0123456789" else ord(" ") for byte in range(256))
_NINETEEN_DIGITS = b"9" * 19
_BRACKETS = bytes.maketrans(b"{}", b"[]")
_NOT_QUOTES_OR_BRACKETS = bytes(set(range(256)) - set(b'"[]{}'))


def json_limit_problem(raw: bytes, depth: int = 0) -> str | None:
    """What breaks a limit in ``raw``, well-formed JSON found ``depth`` containers deep:
    nesting past ``MAX_DEPTH`` or an integer outside the signed 64-bit range; else None.

    Works on the bytes, at C speed. Escaped backslashes, then escaped quotes, are removed,
    so that every quote left opens or closes a string. Integers: only bytes with a run of
    19 digits or more can hold one out of range; they are searched with every piece
    between quotes removed. Nesting: everything but quotes and brackets is removed; two
    adjacent quotes then enclose nothing or nothing stands between them, so they go too,
    and the few strings left (those holding a bracket) are removed between their quotes.
    The brackets left are reduced pair by pair, each round removing the innermost
    containers, at most ``MAX_DEPTH - depth`` rounds.
    """
    unescaped = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    if _NINETEEN_DIGITS in raw.translate(_DIGITS):  # else no integer can be out of range
        bare = b"".join(unescaped.split(b'"')[::2])
        for found in _BIG_INTEGER.finditer(bare):
            digits = found.group().lstrip(b"-")  # JSON has no leading zeros: 20 digits and more are too many
            if len(digits) > 19 or not INT_MIN <= int(found.group()) <= INT_MAX:
                return "integer outside the signed 64-bit range (-2**63 to 2**63 - 1)"
    skeleton = unescaped.translate(None, _NOT_QUOTES_OR_BRACKETS).replace(b'""', b"")
    if b'"' in skeleton:
        skeleton = b"".join(skeleton.split(b'"')[::2])
    brackets = skeleton.translate(_BRACKETS)
    for _ in range(MAX_DEPTH - depth):
        if not brackets:
            return None
        brackets = brackets.replace(b"[]", b"")
    return f"JSON nested more than {MAX_DEPTH} deep" if brackets else None
