"""A landing file scanned in bulk: parse.py's rules decided for whole arrays of lines at once.

Ingest checks every landing line (parse.py: decode, parse, normalise or quarantine), about
5 us a line in Python: 50 s for the 10M lines of 100x the STEDI export. Nearly every line of
an export is a flat JSON object of plain ASCII that the rules accept unchanged. Here RE2
regular expressions (pyarrow.compute, over the file's lines as one Arrow array) find those
lines at once; every other line goes through parse.add_line, one by one, so the FileScan is the
one parse.scan_bytes returns, byte for byte (tests/test_landing_bulk.py compares the two on
random messy files, and tests/test_landing.py and the bad-landing corpus run through this).

A line is decided in bulk when
- it is one flat JSON object, `{` first and `}` last (then only the line's \\r): keys and
  string values of printable ASCII without escapes, numbers as JSON writes them with at most
  18 integer digits, 30 fraction digits and a 2-digit exponent, true, false or null, spaces
  only between tokens. Python's json reads such a line exactly as written: nothing to
  unescape, no number beyond a long or a double. And since no string holds a quote, a `"k":`
  in the line is always the key k, never text inside a value;
- each key the rules look at (parse.REQUIRED, parse.EPOCH_FIELDS, phone) occurs at most once
  (json keeps the last of duplicate keys);
- a required key holds a non-empty string (an epoch field: a whole number), another epoch
  field is absent, null or a whole number, a phone is absent, null or a string.
parse.normalize_record then changes nothing, and the accepted text is the line itself.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np

from localglue.errors import LakehouseError
from stedi.landing.parse import EPOCH_FIELDS, REQUIRED, SOURCES, FileScan, add_line

_BOM = b"\xef\xbb\xbf"
_SP = " *"
_CHARS = r"[ !#-\[\]-~]"  # printable ASCII but " and \
_STRING = f'"{_CHARS}*"'
_WHOLE = r"-?(?:0|[1-9][0-9]{0,17})"  # within a long: 18 digits at most
_NUMBER = _WHOLE + r"(?:\.[0-9]{1,30})?(?:[eE][+-]?[0-9]{1,2})?"
_VALUE = f"(?:{_STRING}|{_NUMBER}|true|false|null)"
_PAIR = f"{_STRING}{_SP}:{_SP}{_VALUE}"
FLAT_OBJECT = rf"^\{{{_SP}(?:{_PAIR}(?:{_SP},{_SP}{_PAIR})*)?{_SP}\}}\r?\n?$"
_END = f"{_SP}[,}}]"  # what follows a value


def _key(name: str) -> str:
    return f'"{name}"{_SP}:{_SP}'


def _lines(data: bytes):
    """The file's lines as an Arrow binary array (each with its \\n), and their count."""
    import pyarrow as pa

    newlines = np.flatnonzero(np.frombuffer(data, np.uint8) == 10)
    offsets = np.concatenate([[0], newlines + 1])
    if not data.endswith(b"\n"):
        offsets = np.append(offsets, len(data))
    offsets = offsets.astype(np.int64)
    count = len(offsets) - 1
    buffers = [None, pa.py_buffer(offsets), pa.py_buffer(data)]
    return pa.LargeBinaryArray.from_buffers(pa.large_binary(), count, buffers), offsets


def _forms(source: str) -> tuple[list[str], dict[str, str]]:
    """The keys the rules look at, and the regex of the value each may hold when present."""
    forms = {
        k: f"{_WHOLE}{_END}" if k in EPOCH_FIELDS[source] else f'"{_CHARS}'
        for k in REQUIRED[source]
    }
    for k in EPOCH_FIELDS[source]:
        forms.setdefault(k, f"(?:null|{_WHOLE}){_END}")
    if source == "customer":
        forms["phone"] = f'(?:null{_END}|")'
    return list(forms), forms


def _general(lines, source: str):
    """The rules of the module docstring, for any lines: a boolean Arrow array."""
    import pyarrow.compute as pc

    def has(regex: str):
        return pc.match_substring_regex(lines, regex)

    ok = has(FLAT_OBJECT)
    keys, forms = _forms(source)
    for k in keys:
        ok = pc.and_(ok, pc.invert(has(f"{_key(k)}.*{_key(k)}")))  # at most once
        good = has(_key(k) + forms[k])
        ok = pc.and_(ok, good if k in REQUIRED[source] else pc.or_(good, pc.invert(has(_key(k)))))
    return ok


_KEY_TOKEN = re.compile(rb'"([ !#-\[\]-~]*)" *:')


def shape(line: bytes, source: str) -> str:
    """The regex of the lines with the keys of `line` (a line the rules accept as it is), in
    its order, each holding a value of the form the rules accept: one regex pass finds the
    lines of a file that share its shape (nearly all of an export's)."""
    keys, _ = _forms(source)
    full = {
        k: f'"{_CHARS}+"' if k not in EPOCH_FIELDS[source] else _WHOLE for k in REQUIRED[source]
    }
    for k in keys:
        full.setdefault(k, f"(?:null|{_STRING})" if k == "phone" else f"(?:null|{_WHOLE})")
    pairs = [
        f'"{re.escape(k)}"{_SP}:{_SP}{full.get(k, _VALUE)}'
        for k in (m.decode() for m in _KEY_TOKEN.findall(line))
    ]
    return rf"^\{{{_SP}{f'{_SP},{_SP}'.join(pairs)}{_SP}\}}\r?\n?$"


SHAPES, SAMPLE = 4, 16


def accepted_as_is(lines, source: str) -> np.ndarray:
    """A bool per line: the rules accept it unchanged (see the module docstring). Lines of
    the shape of an accepted line are found in one pass (up to SHAPES shapes, each from the
    first SAMPLE lines still undecided); the rules run in full on the others only."""
    import pyarrow.compute as pc

    found = np.zeros(len(lines), bool)
    todo = np.arange(len(lines))
    for _ in range(SHAPES):
        whole = len(todo) == len(lines)  # nothing decided yet: slices, not copies
        sample = lines.slice(0, SAMPLE) if whole else lines.take(_indices(todo[:SAMPLE]))
        accepted = np.flatnonzero(_bools(_general(sample, source)))
        if not len(accepted):
            break
        rest = lines if whole else lines.take(_indices(todo))
        matched = _bools(
            pc.match_substring_regex(rest, shape(sample[int(accepted[0])].as_py(), source))
        )
        found[todo[matched]] = True
        todo = todo[~matched]
        if not len(todo):
            return found
    if len(todo):
        found[todo] = _bools(_general(lines.take(_indices(todo)), source))
    return found


def _indices(positions: np.ndarray):
    """Positions as an Arrow int64 array, from their buffer: pa.array(numpy) imports pandas."""
    import pyarrow as pa

    values = np.ascontiguousarray(positions, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(values), [None, pa.py_buffer(values)])


def _bools(mask) -> np.ndarray:
    """A boolean Arrow array without nulls as numpy: from its bitmap, since Array.to_numpy
    imports pandas for booleans (2 s, more than the scan)."""
    bits = np.unpackbits(np.frombuffer(mask.buffers()[1], np.uint8), bitorder="little")
    return bits[mask.offset : mask.offset + len(mask)].astype(bool)


def scan_bytes(data: bytes, file: str, source: str) -> FileScan:
    """parse.scan_bytes's FileScan, the lines accepted as they are found in bulk."""
    if source not in REQUIRED:
        raise LakehouseError(f"unknown landing source {source!r}; expected one of {SOURCES}")
    scan = FileScan(file=file, source=source)
    if data.startswith(_BOM):
        data = data[3:]
    if not data:
        return scan
    lines, offsets = _lines(data)
    as_is = accepted_as_is(lines, source)
    count = len(as_is)
    fast = np.flatnonzero(as_is)
    if len(fast) == count:  # the common case: every line as it is
        text = _texts(data)
        scan.accepted = text if len(text) == count else text[:count]
        scan.accepted_line_nos = list(range(1, count + 1))
        scan.lines_total = count
        return scan
    text = _texts(data)
    last = count - 1 if not data.endswith(b"\n") else -1
    slow = FileScan(file=file, source=source)
    slow_nos = []
    for index in np.flatnonzero(~as_is).tolist():
        raw = data[offsets[index] : offsets[index + 1]]
        accepted_before = len(slow.accepted)
        add_line(slow, raw[:-1] if raw.endswith(b"\n") else raw, index + 1, last=index == last)
        if len(slow.accepted) > accepted_before:
            slow_nos.append(index)
    fast_list = fast.tolist()
    if not slow.accepted:
        scan.accepted = [text[i] for i in fast_list]
        scan.accepted_line_nos = [i + 1 for i in fast_list]
    else:
        merged = sorted(
            [*((i, text[i]) for i in fast_list), *zip(slow_nos, slow.accepted, strict=True)]
        )
        scan.accepted = [t for _, t in merged]
        scan.accepted_line_nos = [i + 1 for i, _ in merged]
    scan.quarantined = slow.quarantined
    scan.blank_lines = slow.blank_lines
    scan.lines_total = len(fast_list) + slow.lines_total
    return scan


def _texts(data: bytes) -> list[str]:
    """Every line as text, without \n and \r; right for the lines accepted as they are (plain
    ASCII), whatever the other lines hold."""
    text = data.decode("utf-8", errors="surrogateescape").split("\n")
    if b"\r" in data:
        text = [t[:-1] if t.endswith("\r") else t for t in text]
    return text


def scan_file(path: str | os.PathLike, source: str) -> FileScan:
    """parse.scan_file's FileScan of one landing file, found in bulk."""
    path = Path(path)
    return scan_bytes(path.read_bytes(), path.name, source)
