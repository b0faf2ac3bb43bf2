"""Which distributor printed a bill, and in which of its layouts."""

from __future__ import annotations

import re

from faturas.errors import NotABill, UnknownDistributor, UnsupportedLayout
from faturas.extraction.distributors.base import Distributor, Layout
from faturas.extraction.pdf_text import PdfText

#: Words every electricity bill prints; a text without them is some other document.
_BILL_VOCABULARY = (
    re.compile(r"kWh", re.IGNORECASE),
    re.compile(r"energia", re.IGNORECASE),
    re.compile(r"fatura|conta|nota fiscal|DANF3E|vencimento", re.IGNORECASE),
)

#: A cue score below this is noise (a distributor named in passing), not a detection.
MIN_SCORE = 3


def detect_distributor(document: PdfText, distributors: tuple[Distributor, ...]) -> Distributor:
    text = document.text
    missing = [pattern.pattern for pattern in _BILL_VOCABULARY if not pattern.search(text)]
    if missing:
        raise NotABill("não encontramos os termos de uma conta de energia (" + ", ".join(missing) + ")")
    lowered = text.lower()
    scored = [(distributor.score(text, lowered), index, distributor) for index, distributor in enumerate(distributors)]
    best_score, _, best = max(scored, key=lambda entry: (entry[0], -entry[1]))
    if best_score < MIN_SCORE:
        raise UnknownDistributor(cue.label for distributor in distributors for cue in distributor.cues)
    return best


def choose_layout(distributor: Distributor, document: PdfText) -> Layout:
    for layout in distributor.layouts:
        if layout.matches(document):
            return layout
    raise UnsupportedLayout(distributor.name, (layout.name for layout in distributor.layouts))
