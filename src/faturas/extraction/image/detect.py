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
        raise UnknownDistributor(cue.label for distributor in distributors for cue in distributor.cues)
    return best
