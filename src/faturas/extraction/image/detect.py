"""Which distributor printed a bill photographed or captured as an image.

The text-layer check for bill vocabulary ("kWh", "energia", "fatura" all present) is too strict for
OCR of a photo, which often loses the small "kWh" of the items table: one word of the vocabulary is
enough here, because the distributor's cues (a CNPJ, the group's name) must still be found.
"""

from __future__ import annotations

from faturas.errors import NotABill, UnknownDistributor
from faturas.extraction.distributors.base import Distributor
from faturas.extraction.distributors.detection import MIN_SCORE
from faturas.extraction.pdf_text import PdfText

#: Any one of these makes an OCR'd image plausibly an electricity bill.
_BILL_WORDS = ("kwh", "energia", "fatura", "danf3e", "consumo", "vencimento")


def detect_image_distributor(document: PdfText, distributors: tuple[Distributor, ...]) -> Distributor:
    text = document.text
    lowered = text.lower()
    if not any(word in lowered for word in _BILL_WORDS):
        raise NotABill("não encontramos na imagem os termos de uma conta de energia (" + ", ".join(_BILL_WORDS) + ")")
    scored = [(distributor.score(text, lowered), index, distributor) for index, distributor in enumerate(distributors)]
    best_score, _, best = max(scored, key=lambda entry: (entry[0], -entry[1]))
    if best_score < MIN_SCORE:
        raise UnknownDistributor(cue.label for distributor in distributors for cue in distributor.cues)
    return best
