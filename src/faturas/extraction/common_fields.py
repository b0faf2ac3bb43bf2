"""Fields printed the same way on every distributor's bill: NF3e key, payment line, barcode."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

#: The NF3e access key: 44 digits, often printed in groups of four.
_ACCESS_KEY_RE = re.compile(r"(?<!\d)((?:\d[ .]?){43}\d)(?!\d)")

#: Every access key lies inside a run of digits, spaces and dots this long; finding the runs first
#: keeps the costly key pattern off the rest of the bill. Patterns here start with a digit and check
#: "no digit before it" just after it: a pattern that opens with a lookbehind makes the regex engine
#: try every position of the bill, one that opens with a character class skips ahead to it (an ASCII
#: class is tested faster than ``\d``).
_DIGIT_RUN_RE = re.compile(r"[0-9](?<![0-9][0-9])[0-9 .]{43,}")

#: A utility-payment line (linha digitável de arrecadação): four blocks of 11 digits, each with its
#: check digit, starting with 8 ("83610000002-3 45670138001-2 12345678901-4 00012345678-9").
_PAYMENT_LINE_RE = re.compile(r"(8(?<!\d8)\d{10}[ -]?\d)\s+(\d{11}[ -]?\d)\s+(\d{11}[ -]?\d)\s+(\d{11}[ -]?\d)(?!\d)")

_NON_DIGIT_RE = re.compile(r"\D")

#: Latin-1 text as bytes: the characters runs are made of (ASCII digits, space, dot) become "0", all
#: others "x". A run of 44 marks is where a run of _DIGIT_RUN_RE may start (its leading spaces and dots
#: hold no key: the key pattern gives the same matches in either).
_RUN_MARKS = bytes(ord("0") if chr(code) in "0123456789 ." else ord("x") for code in range(256))
_LONG_RUN = b"0" * 44


def find_access_key(text: str) -> str | None:
    """The first 44-digit run that is a well-formed NF3e/NF-e key (model 66 or 06 at its place)."""
    try:
        # Nearly every bill is Latin-1: one bytes.translate marks the run characters and a substring
        # search jumps to each run of 44 or more (several times cheaper than the run pattern's scan).
        marked = text.encode("latin-1").translate(_RUN_MARKS)
    except UnicodeEncodeError:
        return _first_key(run.group() for run in _DIGIT_RUN_RE.finditer(text))
    return _first_key(_long_runs(text, marked))


def _long_runs(text: str, marked: bytes) -> Iterator[str]:
    """Every maximal run of digits, spaces and dots at least 44 long (``marked`` flags its characters)."""
    start = marked.find(_LONG_RUN)
    while start >= 0:
        end = marked.find(b"x", start)
        if end < 0:
            end = len(marked)
        yield text[start:end]
        start = marked.find(_LONG_RUN, end)


def _first_key(runs: Iterable[str]) -> str | None:
    for run in runs:
        for match in _ACCESS_KEY_RE.finditer(run):
            digits = _NON_DIGIT_RE.sub("", match.group(1))
            if digits[20:22] in ("66", "06", "55"):
                return digits
    return None


def find_payment_line(text: str) -> str | None:
    """The payment line's 48 digits, without separators."""
    match = _PAYMENT_LINE_RE.search(text)
    if match is None:
        return None
    return "".join(_NON_DIGIT_RE.sub("", block) for block in match.groups())


def barcode_from_payment_line(line: str) -> str:
    """The 44-digit barcode a 48-digit utility payment line encodes (each block minus its check digit)."""
    return "".join(line[index * 12 : index * 12 + 11] for index in range(4))
