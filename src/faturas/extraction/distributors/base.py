"""What a distributor template is: detection cues plus one or more layouts."""

from __future__ import annotations

import re
from dataclasses import dataclass
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
    #: Lower-case literals the pattern cannot match without any of; checked first because a substring
    #: test is far cheaper than a case-insensitive regex scan of the whole bill. Empty only for CNPJ
    #: cues, whose patterns open with literal digits the regex engine skips ahead to.
    needles: tuple[str, ...] = ()

    def found_in(self, text: str, lowered: str) -> bool:
        if self.needles and not any(needle in lowered for needle in self.needles):
            return False
        return self.pattern.search(text) is not None


def cnpj_cue(cnpj: str, weight: int = 10) -> Cue:
    """A CNPJ, matched with or without its punctuation."""
    digits = re.sub(r"\D", "", cnpj)
    spaced = r"[\s./-]?".join(
        (digits[:2], digits[2:5], digits[5:8], digits[8:12], digits[12:]),
    )
    return Cue(f"CNPJ {cnpj}", re.compile(spaced), weight)


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
