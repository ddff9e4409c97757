"""Every reader fed mutated and random bytes: a result or a clean ``BenchmarkError``, never another exception."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmark.errors import BenchmarkError
from benchmark.paths import GOLD_FILE, LABELSTUDIO_EXPORT_FILE

GOLD_BYTES = GOLD_FILE.read_bytes()
GOLD_LINE = GOLD_BYTES.split(b"\n")[0]
EXPORT_HEAD = LABELSTUDIO_EXPORT_FILE.read_bytes()[:4000]
SEEDS = [GOLD_LINE[:3000], EXPORT_HEAD, b"Iran\tB-ACTOR\tO\n-\tI-ACTOR\tB-ATTACK\n\n",
         b"T1\tWEAPON 255 265\t14 rockets\nE1\tATTACK:T2 INSTRUMENT:T1\nA1\tquantity T1 14\n",
         b'{"name": "x", "team": "t", "url": null, "date": "2024-01-01"}']
SPECIAL = [b"[" * 200, b"{" * 200, b"9" * 5000, b"\xff", b"\xef\xbb\xbf", b"\x00", b"\n", b"\t", b'"', b"\\u",
           b"null", b"-0", b"1e999", b"I-", b"B-", b"\r"]


@st.composite
def mutated(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        choice = draw(st.integers(0, 3))
        if choice == 0:
            data[at:at] = draw(st.sampled_from(SPECIAL))
        elif choice == 1:
            data[at:at + draw(st.integers(1, 40))] = b""
        elif choice == 2 and at < len(data):
            data[at] = draw(st.integers(0, 255))
        else:
            data[at:at] = draw(st.binary(max_size=20))
    return bytes(data)


inputs = st.one_of(mutated(), st.binary(max_size=300))


def _readers():
    from benchmark.formats.brat import from_brat
    from benchmark.formats.conll import parse_conll
    from benchmark.formats.jsonl import decode_json, parse_jsonl
    from benchmark.inputs.read import iter_export_tasks, parse_gold, parse_predictions, read_gold
    from benchmark.leaderboard.board import parse_metadata

    gold = read_gold()
    documents = [a.document for a in gold]

    def jsonl(data):
        problems = []
        parse_jsonl(data, "f", problems)
        return problems

    def export(data):
        problems = []
        tasks = list(iter_export_tasks([data], "f", problems))
        # read in pieces of 7 bytes, the same tasks and problems (elements cut anywhere)
        pieces, problems_in_pieces = [data[i:i + 7] for i in range(0, len(data), 7)], []
        assert list(iter_export_tasks(pieces, "f", problems_in_pieces)) == tasks
        assert problems_in_pieces == problems
        return problems

    def brat(data):
        problems = []
        text = data.decode("utf-8", errors="replace")
        from_brat(text, documents[0], problems, "f.ann")
        return problems

    return {
        "jsonl": jsonl,
        "predictions jsonl": lambda data: parse_predictions(data, "f", "jsonl", gold),
        "predictions conll": lambda data: parse_predictions(data, "f", "conll", gold),
        "predictions conll repaired": lambda data: parse_predictions(data, "f", "conll", gold, repair="discard"),
        "conll": lambda data: parse_conll(data, "f", documents[:1]),
        "gold": lambda data: parse_gold(data, "f"),
        "json": lambda data: decode_json(data, "f"),
        "export": export,
        "brat": brat,
        "metadata": lambda data: parse_metadata(data, "f"),
    }


READERS = _readers()


@settings(max_examples=int(__import__("os").environ.get("FUZZ_EXAMPLES", "150")), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=inputs, name=st.sampled_from(sorted(READERS)))
def test_every_reader_returns_or_raises_a_benchmark_error(data, name):
    try:
        READERS[name](data)
    except BenchmarkError as error:
        assert error.problems and all(str(p) for p in error.problems)


def _limit_by_walking(value, depth: int) -> str | None:
    """What ``json_limit_problem`` finds, found on the decoded value: the reference."""
    from benchmark.files import INT_MAX, INT_MIN, MAX_DEPTH

    def deepest(item) -> int:
        if isinstance(item, dict):
            return 1 + max(map(deepest, item.values()), default=0)
        if isinstance(item, list):
            return 1 + max(map(deepest, item), default=0)
        return 0

    def big(item) -> bool:
        if isinstance(item, dict):
            return any(map(big, item.values()))
        if isinstance(item, list):
            return any(map(big, item))
        return isinstance(item, int) and not isinstance(item, bool) and not INT_MIN <= item <= INT_MAX

    if big(value):
        return "integer outside the signed 64-bit range (-2**63 to 2**63 - 1)"
    return f"JSON nested more than {MAX_DEPTH} deep" if depth + deepest(value) > MAX_DEPTH else None


_TRICKY = st.text(alphabet='"\\[]{}a1 é\n\t/', max_size=8)
_LEAVES = st.one_of(_TRICKY, st.integers(min_value=-2**70, max_value=2**70), st.sampled_from([2**63 - 1, 2**63, -2**63,
                    -2**63 - 1, 1.5, None, True]))
_VALUES = st.recursive(_LEAVES, lambda children: st.one_of(st.lists(children, max_size=3),
                                                           st.dictionaries(_TRICKY, children, max_size=3)),
                       max_leaves=20)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_VALUES, st.integers(min_value=0, max_value=70), st.lists(st.tuples(st.booleans(), _TRICKY), min_size=1,
                                                                   max_size=8),
       st.sampled_from([0, 1]), st.booleans())
def test_json_limits_on_the_bytes_are_those_of_the_value(value, wraps, wrappers, depth, compact):
    """``json_limit_problem`` (strings dropped on the bytes: escapes, quotes and brackets in
    strings) finds what a walk over the decoded value finds: nesting past the limit, an
    integer outside 64 bits. ``value`` is wrapped ``wraps`` times in a list or an object
    (with strings beside it), to reach the nesting limit."""
    import json

    from benchmark.files import json_limit_problem

    for n in range(wraps):
        as_list, text = wrappers[n % len(wrappers)]
        value = [text, value, text] if as_list else {text: value, "k" + text: text}
    raw = json.dumps(value, ensure_ascii=False, separators=(",", ":") if compact else None).encode("utf-8")
    assert json_limit_problem(raw, depth) == _limit_by_walking(value, depth)
