"""The sensitive-data entity types that are patterns, with the spans they match in a text.

AWS Glue's managed entity types are detected by patterns (an email address, a card number
passing the Luhn check, an IP or MAC address, a US SSN or ITIN, a phone number) or by a
machine-learning model (a person's name, an address). Only the first kind can be
reproduced locally; `NOT_LOCAL` lists the model-based types, which raise instead of
silently finding nothing.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterator

Span = tuple[int, int]


def _luhn_valid(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def _matches(pattern: str, accept: Callable[[str], bool] = lambda _t: True):
    compiled = re.compile(pattern)

    def find(text: str) -> Iterator[Span]:
        for m in compiled.finditer(text):
            if accept(m.group(0)):
                yield m.span()

    return find


def _card(token: str) -> bool:
    digits = re.sub(r"[ -]", "", token)
    return 13 <= len(digits) <= 19 and _luhn_valid(digits)


def _ip(token: str) -> bool:
    try:
        ipaddress.ip_address(token)
    except ValueError:
        return False
    return True


def _ssn(token: str) -> bool:
    area, group, serial = token.split("-")
    return (
        area not in ("000", "666")
        and not area.startswith("9")
        and group != "00"
        and serial != "0000"
    )


NOT_WORD = r"(?<![\w.@-])"
END = r"(?![\w@])"

RECOGNIZERS: dict[str, Callable[[str], Iterator[Span]]] = {
    "EMAIL": _matches(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"),
    "CREDIT_CARD": _matches(NOT_WORD + r"\d(?:[ -]?\d){12,18}" + END, _card),
    "IP_ADDRESS": _matches(
        NOT_WORD + r"(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f:]*:[0-9A-Fa-f:]+)" + END, _ip
    ),
    "MAC_ADDRESS": _matches(
        NOT_WORD + r"[0-9A-Fa-f]{2}(?:([:-])[0-9A-Fa-f]{2})(?:\1[0-9A-Fa-f]{2}){4}" + END
    ),
    "USA_SSN": _matches(NOT_WORD + r"\d{3}-\d{2}-\d{4}" + END, _ssn),
    "USA_ITIN": _matches(NOT_WORD + r"9\d{2}-(?:5\d|6[0-5]|7\d|8[0-8]|9[0-2]|9[4-9])-\d{4}" + END),
    "PHONE_NUMBER": _matches(
        NOT_WORD + r"(?:\+\d{1,3}[ .-]?)?(?:\(\d{3}\)|\d{3})[ .-]?\d{3}[ .-]?\d{4}" + END
    ),
}

# Detected on AWS by a model (named-entity recognition), or by patterns plus context words
# that Glue does not publish.
NOT_LOCAL = (
    "PERSON_NAME",
    "ADDRESS",
    "USA_ADDRESS",
    "DATE",
    "BANK_ACCOUNT",
    "USA_PASSPORT_NUMBER",
    "USA_DRIVING_LICENSE",
)


def find(entity_type: str, text: str) -> list[Span]:
    return list(RECOGNIZERS[entity_type](text))
