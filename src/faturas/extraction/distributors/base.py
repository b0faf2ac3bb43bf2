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
    #: A lower-case literal the pattern cannot match without; checked first because a substring test
    #: is far cheaper than a case-insensitive regex scan of the whole bill.
    needle: str | None = None

    def found_in(self, text: str, lowered: str) -> bool:
        if self.needle is not None and self.needle not in lowered:
            return False
        return self.pattern.search(text) is not None


def cnpj_cue(cnpj: str, weight: int = 10) -> Cue:
    """A CNPJ, matched with or without its punctuation."""
    digits = re.sub(r"\D", "", cnpj)
    spaced = r"[\s./-]?".join(
        (digits[:2], digits[2:5], digits[5:8], digits[8:12], digits[12:]),
    )
    return Cue(f"CNPJ {cnpj}", re.compile(spaced), weight)


def text_cue(label: str, pattern: str, weight: int = 3, flags: int = re.IGNORECASE, needle: str | None = None) -> Cue:
    """A text pattern; ``needle`` (lower case) is a literal it cannot match without, derived for plain words."""
    literal = pattern.replace(r"\b", "").replace(r"\.", ".")
    if needle is None and re.fullmatch(r"[\w.]+", literal) and flags & re.IGNORECASE:
        needle = literal.lower()
    return Cue(label, re.compile(pattern, flags), weight, needle)


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
