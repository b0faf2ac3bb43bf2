"""Which distributor printed a bill photographed or captured as an image.

The text-layer check for bill vocabulary ("kWh", "energia", "fatura" all present) is too strict for
OCR of a photo, which often loses the small "kWh" of the items table: one word of the vocabulary is
enough here, because the distributor's cues (a CNPJ, the group's name) must still be found.
"""

from __future__ import annotations

import re
from functools import cache

from faturas.errors import NotABill, UnknownDistributor
from faturas.extraction.distributors.base import Distributor
from faturas.extraction.distributors.detection import MIN_SCORE
from faturas.extraction.pdf_text import PdfText

#: Any one of these makes an OCR'd image plausibly an electricity bill.
_BILL_WORDS = ("kwh", "energia", "fatura", "danf3e", "consumo", "vencimento")


#: What a CNPJ read without its first digits is worth: as much as the name (the check for the full
#: CNPJ on the page still flags the read as unconfirmed).
TRUNCATED_CNPJ_WEIGHT = 5


CNPJ_DIGITS = 14


@cache
def _truncated_cnpj(label: str) -> re.Pattern[str]:
    """A CNPJ without its first two digits, which OCR often loses at the edge of a box or the page."""
    digits = re.sub(r"\D", "", label)[2:]
    return re.compile(r"(?<!\d)" + r"[\s./-]?".join(digits) + r"(?!\d)")


def _truncated_cnpj_score(distributor: Distributor, text: str) -> int:
    cnpjs = [cue.label for cue in distributor.cues if len(re.sub(r"\D", "", cue.label)) == CNPJ_DIGITS]
    return TRUNCATED_CNPJ_WEIGHT if any(_truncated_cnpj(label).search(text) for label in cnpjs) else 0


#: Parent groups whose name, read exactly, narrows a bill to concessions with names far apart: then a
#: concession's name read with one letter wrong ("ELENTRO") still tells which one it is. Only names of
#: six letters or more, and only when exactly one concession comes that close (the check for the CNPJ
#: on the page still flags the read as unconfirmed).
PARENT_CONCESSIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "neoenergia": (("ELEKTRO", "ELEKTRO"), ("COSERN", "COSERN")),
}
MIN_FUZZY_NAME = 6
FUZZY_NAME_WEIGHT = 5

_WORD = re.compile(r"[^\W\d_]+")


def _one_letter_off(word: str, name: str) -> bool:
    return len(word) == len(name) and sum(a != b for a, b in zip(word, name, strict=True)) == 1


def _fuzzy_concession(lowered: str) -> str | None:
    """The one concession whose name is read with one letter wrong beside its parent's exact name."""
    words = {word.upper() for word in _WORD.findall(lowered)}
    found = {
        distributor
        for parent, concessions in PARENT_CONCESSIONS.items()
        if re.search(rf"\b{parent}\b", lowered)
        for name, distributor in concessions
        if len(name) >= MIN_FUZZY_NAME and any(_one_letter_off(word, name) for word in words)
    }
    return found.pop() if len(found) == 1 else None


def detect_image_distributor(document: PdfText, distributors: tuple[Distributor, ...]) -> Distributor:
    text = document.text
    lowered = text.lower()
    if not any(word in lowered for word in _BILL_WORDS):
        raise NotABill("não encontramos na imagem os termos de uma conta de energia (" + ", ".join(_BILL_WORDS) + ")")
    scored = [
        (max(distributor.score(text, lowered), _truncated_cnpj_score(distributor, text)), index, distributor)
        for index, distributor in enumerate(distributors)
    ]
    best_score, _, best = max(scored, key=lambda entry: (entry[0], -entry[1]))
    if best_score < MIN_SCORE:
        fuzzy = _fuzzy_concession(lowered)
        best_score, best = next(((FUZZY_NAME_WEIGHT, d) for d in distributors if d.name == fuzzy), (best_score, best))
    if best_score < MIN_SCORE:
        raise UnknownDistributor(cue.label for distributor in distributors for cue in distributor.cues)
    return best
