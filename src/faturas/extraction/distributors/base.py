"""What a distributor template is: detection cues plus one or more layouts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Protocol

from faturas.domain.invoice import Invoice
from faturas.extraction.pdf_text import PdfText


class Layout(Protocol):
    """One printed form of a distributor's bill."""

    @property
    def name(self) -> str:
        """Stable identifier, ``distributor.layout`` (recorded with every invoice)."""
        ...

    def matches(self, document: PdfText) -> bool:
        """Whether this document is printed in this layout."""
        ...

    def extract(self, document: PdfText) -> Invoice:
        """Read the bill; raise FieldsMissing (or another BillRejected) when it cannot."""
        ...


@dataclass(frozen=True)
class Cue:
    """Evidence that a text is one distributor's bill."""

    label: str  # shown in UnknownDistributor messages: "CNPJ 06.981.180/0001-16"
    pattern: re.Pattern[str]
    weight: int
    #: Lower-case literals the pattern cannot match without any of. The pattern is tried only in a
    #: window around each place they occur: a substring search is far cheaper than a regex scan of
    #: the whole bill, and every bill is scored against every cue of every distributor.
    needles: tuple[str, ...] = ()
    #: A CNPJ cue's 14 digits, looked up in the bill's digits with separators dropped.
    cnpj: str | None = None

    def found_in(self, text: str, lowered: str) -> bool:
        if self.cnpj is not None:
            if len(self.cnpj) == _CNPJ_DIGITS:
                return self.cnpj in _cnpj_windows(text, self.cnpj[_BRANCH_AT : _BRANCH_AT + 4])
            return self.cnpj in _without_separators(text)
        if not self.needles:
            return self.pattern.search(text) is not None
        for needle in self.needles:
            at = lowered.find(needle)
            while at >= 0:
                window = (max(0, at - CUE_WINDOW_BEFORE), at + len(needle) + CUE_WINDOW_AFTER)
                if self.pattern.search(text, *window) is not None:
                    return True
                at = lowered.find(needle, at + 1)
        return False


#: How far a cue's pattern may reach before and after its literal (lower-casing may also shift a few
#: characters): cue patterns are short phrases.
CUE_WINDOW_BEFORE = 80
CUE_WINDOW_AFTER = 160

#: What may separate a CNPJ's digit groups.
_SEPARATORS = (" ", "\n", ".", "/", "-", "\t", "\f", "\r", "\v", "\xa0")
_LATIN1_SEPARATORS = "".join(_SEPARATORS).encode("latin-1")


@lru_cache(maxsize=4)
def _without_separators(text: str) -> str:
    """The bill without spaces, dots, slashes and hyphens, computed once per bill for all CNPJ cues."""
    try:
        # Nearly every bill is Latin-1: bytes.translate deletes every separator in one pass.
        return text.encode("latin-1").translate(None, _LATIN1_SEPARATORS).decode("latin-1")
    except UnicodeEncodeError:
        # str.replace one separator at a time: in CPython about ten times faster than str.translate or re.sub.
        for separator in _SEPARATORS:
            text = text.replace(separator, "")
        return text


_CNPJ_DIGITS = 14
#: Where a CNPJ's branch number ("0001" for a head office) starts.
_BRANCH_AT = 8


@lru_cache(maxsize=4)
def _cnpj_windows(text: str, branch: str) -> frozenset[str]:
    """Every 14 characters of the bill without separators whose 9th to 12th are ``branch``.

    A CNPJ is in the bill exactly when it is one of these: the branch ("0001" for every cue so far) is
    found a few times per bill, where each of the 28 CNPJ cues' substring search scanned all its digits.
    """
    digits = _without_separators(text)
    windows = set()
    at = digits.find(branch, _BRANCH_AT)
    while at >= 0:
        windows.add(digits[at - _BRANCH_AT : at - _BRANCH_AT + _CNPJ_DIGITS])
        at = digits.find(branch, at + 1)
    return frozenset(windows)


def cnpj_cue(cnpj: str, weight: int = 10) -> Cue:
    """A CNPJ, printed with or without its punctuation."""
    digits = re.sub(r"\D", "", cnpj)
    return Cue(f"CNPJ {cnpj}", re.compile(re.escape(digits)), weight, cnpj=digits)


def text_cue(
    label: str,
    pattern: str,
    weight: int = 3,
    flags: int = re.IGNORECASE,
    needle: str | tuple[str, ...] | None = None,
) -> Cue:
    """A text pattern and the lower-case literal(s) it cannot match without, derived for plain words.

    Every bill is scored against every cue, so a cue without a literal would scan each bill with a
    regex: refused here, where a new template is written, rather than found in a benchmark.
    """
    if needle is None:
        literal = pattern.replace(r"\b", "")
        if not re.fullmatch(r"(?:[\w -]|\\\.)+", literal):  # words, spaces, hyphens and escaped dots
            raise ValueError(f"text cue {label!r}: give the literal(s) its pattern cannot match without (needle=)")
        needle = literal.replace(r"\.", ".").lower()
    needles = (needle,) if isinstance(needle, str) else needle
    return Cue(label, re.compile(pattern, flags), weight, tuple(n.lower() for n in needles))


@dataclass(frozen=True)
class Distributor:
    name: str  # the group, as reported: CEMIG, ENERGISA …
    cues: tuple[Cue, ...]
    layouts: tuple[Layout, ...]
    #: Layouts written for OCR of phone photos and screenshots: tried on images only, after ``layouts``,
    #: so a text-layer bill is never read by a template made for noisier text.
    image_layouts: tuple[Layout, ...] = ()

    def score(self, text: str, lowered: str | None = None) -> int:
        lowered = text.lower() if lowered is None else lowered
        return sum(cue.weight for cue in self.cues if cue.found_in(text, lowered))

    @cached_property
    def cnpj_cues(self) -> tuple[Cue, ...]:
        """The cues looked up among the bill's CNPJs: a set lookup each, once the bill's CNPJs are listed."""
        return tuple(cue for cue in self.cues if cue.cnpj is not None)

    def cnpj_score(self, text: str, lowered: str) -> int:
        """What the CNPJ cues add to ``score``: Cue.found_in's lookup, without a method call per cue."""
        total = 0
        for cnpj, branch, weight in self._cnpj_lookups:
            if cnpj in _cnpj_windows(text, branch):
                total += weight
        return total + sum(cue.weight for cue in self._other_cnpj_cues if cue.found_in(text, lowered))

    @cached_property
    def _cnpj_lookups(self) -> tuple[tuple[str, str, int], ...]:
        """Each 14-digit CNPJ cue's digits, branch and weight."""
        return tuple(
            (cue.cnpj, cue.cnpj[_BRANCH_AT : _BRANCH_AT + 4], cue.weight)
            for cue in self.cnpj_cues
            if cue.cnpj is not None and len(cue.cnpj) == _CNPJ_DIGITS
        )

    @cached_property
    def _other_cnpj_cues(self) -> tuple[Cue, ...]:
        return tuple(cue for cue in self.cnpj_cues if cue.cnpj is None or len(cue.cnpj) != _CNPJ_DIGITS)

    @cached_property
    def text_cues(self) -> tuple[Cue, ...]:
        """The other cues: a substring search of the whole bill each."""
        return tuple(cue for cue in self.cues if cue.cnpj is None)

    @cached_property
    def text_cue_weight(self) -> int:
        """What the text cues add to the score when all are found."""
        return sum(cue.weight for cue in self.text_cues)
