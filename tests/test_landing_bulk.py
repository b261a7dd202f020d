"""Landing lines decided in bulk (stedi/landing/bulk.py) give the FileScan of the per-line
rules (stedi/landing/parse.py) byte for byte: accepted text, line numbers, quarantine records
and counts, on random messy files built to sit on every edge of the bulk rules."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stedi.landing import bulk, parse
from stedi.ledger import count_nonblank_lines


def same_scan(data: bytes, source: str) -> None:
    reference = parse.scan_bytes(data, "f.json", source)
    found = bulk.scan_bytes(data, "f.json", source)
    for name in ("accepted", "accepted_line_nos", "quarantined", "lines_total", "blank_lines"):
        assert getattr(found, name) == getattr(reference, name), name


KEYS = sorted(
    {*(k for keys in parse.REQUIRED.values() for k in keys)}
    | {*(k for keys in parse.EPOCH_FIELDS.values() for k in keys)}
    | {"phone", "timeStamp", "x", "Email", "user "}
)
VALUES = st.sampled_from(
    [
        '"Ann@test.com"',
        '""',
        '" "',
        "null",
        "true",
        "0",
        "-0",
        "1655564444103",
        "123456789012345678",  # 18 digits: the bulk rules' longest whole number
        "1234567890123456789",  # 19 digits, still a long
        "9223372036854775808",  # beyond a long
        "1655564444103.0",
        "1.5",
        "1e5",
        "1E+400",
        "01",
        '"1655564444103"',
        '"8015551212"',
        "[1]",
        '{"a": 1}',
        '"caf\\u00e9"',
        '"café"',
        '"a\\"b"',
        '"tab\there"',
        "NaN",
    ]
)


VALID = {"email": '"Ann@test.com"', "user": '"Ann@test.com"', "serialNumber": '"8d0b"'}


@st.composite
def lines(draw, source: str) -> bytes:
    """Mostly a record the rules accept as it is, with a few random edits that may cross
    an edge of the bulk rules (values, duplicate keys, spaces, \\r, commas, cuts), sometimes
    any bytes at all."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=20).filter(lambda b: b"\n" not in b))
    pairs = [(k, VALID.get(k, "1655564444103")) for k in parse.REQUIRED[source]]
    pairs += [(k, "1655564444103") for k in parse.EPOCH_FIELDS[source] if draw(st.booleans())]
    pairs += [("phone", '"8015551212"')] if source == "customer" and draw(st.booleans()) else []
    pairs += [("x", "1.0")]
    for _ in range(draw(st.integers(0, 2))):
        at = min(draw(st.integers(0, len(pairs))), len(pairs) - 1)
        if draw(st.booleans()):  # a new value for a key
            pairs[at] = (pairs[at][0], draw(VALUES))
        else:  # another key, maybe one already there
            pairs.insert(at, (draw(st.sampled_from(KEYS)), draw(VALUES)))
    pairs = draw(st.permutations(pairs))
    odd = draw(st.integers(0, 3)) == 0  # tabs, padding, a trailing comma or \\r, a cut
    space = st.sampled_from(["", " ", "  ", "\t"] if odd else ["", " "])
    sep = draw(space)
    body = ("," + sep).join(f'"{k}"{draw(space)}:{draw(space)}{v}' for k, v in pairs)
    text = "{" + sep + body + sep + "}"
    if odd:
        text = draw(st.sampled_from(["", " ", "\t"])) + text
        text += draw(st.sampled_from(["", ",", " ", "\r"]))
        cut = draw(st.integers(0, 3))
        text = text[: len(text) - cut]
    return text.encode("utf-8")


@st.composite
def files(draw) -> tuple[bytes, str]:
    source = draw(st.sampled_from(parse.SOURCES))
    body = draw(st.lists(lines(source), max_size=10))
    end = b"\r\n" if draw(st.integers(0, 4)) == 0 else b"\n"
    bom = b"\xef\xbb\xbf" if draw(st.integers(0, 4)) == 0 else b""
    return bom + end.join(body) + (end if draw(st.booleans()) else b""), source


@settings(max_examples=500, deadline=None)
@given(files())
def test_bulk_and_per_line_scans_agree_on_random_messy_files(file):
    same_scan(*file)


STEDI = {
    "accelerometer": b'{"user":"Ann@test.com","timestamp":1655564444103,"x":1.0,"y":-1.0,"z":0.0}',
    "step_trainer": b'{"sensorReadingTime":1655564444103,"serialNumber":"8d0b","distanceFromObject":218}',
    "customer": b'{"customerName": "Ann A", "email": "Ann@test.com", "phone": "8015551212", '
    b'"birthDay": "1990-01-01", "serialNumber": "8d0b", "registrationDate": 1655564376361, '
    b'"lastUpdateDate": 1655564376361, "shareWithResearchAsOfDate": 1655564376361}',
}


@pytest.mark.parametrize("source", parse.SOURCES)
def test_an_export_line_is_decided_in_bulk(source):
    mask = bulk.accepted_as_is(bulk._lines(STEDI[source] + b"\n")[0], source)
    assert mask.tolist() == [True]


def _edit(source: str, key: str, value: str) -> bytes:
    record = json.loads(STEDI[source])
    record[key] = json.loads(value)
    return json.dumps(record).encode()


NEAR_MISSES = [
    ("accelerometer", _edit("accelerometer", "timestamp", "1655564444103.0")),  # becomes an int
    ("accelerometer", _edit("accelerometer", "timestamp", '"1655564444103"')),
    ("accelerometer", _edit("accelerometer", "user", '""')),
    ("accelerometer", STEDI["accelerometer"].replace(b'"timestamp"', b'"timeStamp"')),
    ("accelerometer", STEDI["accelerometer"][:-1] + b',"user":""}'),  # json keeps the last
    ("accelerometer", STEDI["accelerometer"] + b","),
    ("accelerometer", b" " + STEDI["accelerometer"]),
    ("accelerometer", STEDI["accelerometer"].replace(b"Ann", b"\\u0041nn")),
    ("customer", _edit("customer", "phone", "8015551212")),  # becomes a string
    ("customer", _edit("customer", "lastUpdateDate", "1655564376361.0")),
    ("step_trainer", _edit("step_trainer", "sensorReadingTime", "12345678901234567890")),
]


@pytest.mark.parametrize(("source", "line"), NEAR_MISSES)
def test_a_line_the_rules_would_change_or_may_refuse_is_left_to_them(source, line):
    assert bulk.accepted_as_is(bulk._lines(line + b"\n")[0], source).tolist() == [False]
    same_scan(line + b"\n" + STEDI[source] + b"\n", source)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([b"", b" ", b"\t\r", b"x", b"{}", b"\r"]), max_size=8), st.booleans()
)
def test_nonblank_lines_are_counted_as_a_loop_over_them_counts(parts, final_newline):
    data = b"\n".join(parts) + (b"\n" if final_newline else b"")
    assert count_nonblank_lines(data) == sum(1 for line in data.split(b"\n") if line.strip())
