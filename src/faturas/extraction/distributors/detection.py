"""Which distributor printed a bill, and in which of its layouts."""

from __future__ import annotations

from faturas.errors import NotABill, UnknownDistributor, UnsupportedLayout
from faturas.extraction.distributors.base import Distributor, Layout
from faturas.extraction.pdf_text import PdfText

#: Words every electricity bill prints (any one of each group, any case); a text without them is
#: some other document. Plain substrings of the lower-cased text: far cheaper than regex scans.
_BILL_VOCABULARY = (
    ("kWh", ("kwh",)),
    ("energia", ("energia",)),
    ("fatura/conta/nota fiscal/DANF3E/vencimento", ("fatura", "conta", "nota fiscal", "danf3e", "vencimento")),
)

#: A cue score below this is noise (a distributor named in passing), not a detection.
MIN_SCORE = 3


#: A bill names its distributor on its first pages; a collective bill runs to dozens more.
DETECTION_PAGES = 2


def detect_distributor(document: PdfText, distributors: tuple[Distributor, ...]) -> Distributor:
    """The distributor whose cues score highest on the first pages, or on the whole bill if those say too little."""
    if document.page_count > DETECTION_PAGES:
        first_pages = "\f".join(document.pages[:DETECTION_PAGES])
        try:
            return _best_scoring(first_pages, distributors)
        except (NotABill, UnknownDistributor):
            pass
    return _best_scoring(document.text, distributors)


#: str.lower() for Latin-1 text as a byte table: A-Z and À-Þ (but ×) move up 32, nothing else changes.
_LATIN1_LOWER = bytes(
    code + 32 if 0x41 <= code <= 0x5A or (0xC0 <= code <= 0xDE and code != 0xD7) else code for code in range(256)
)


def lower(text: str) -> str:
    """``text.lower()``, four times faster for the Latin-1 text of nearly every bill (a table, not Unicode lookups)."""
    try:
        return text.encode("latin-1").translate(_LATIN1_LOWER).decode("latin-1")
    except UnicodeEncodeError:
        return text.lower()


def _best_scoring(text: str, distributors: tuple[Distributor, ...]) -> Distributor:
    lowered = lower(text)
    missing = [label for label, words in _BILL_VOCABULARY if not any(word in lowered for word in words)]
    if missing:
        raise NotABill("não encontramos os termos de uma conta de energia (" + ", ".join(missing) + ")")
    best_score, best = _highest_score(text, lowered, distributors)
    if best_score < MIN_SCORE:
        raise UnknownDistributor(cue.label for distributor in distributors for cue in distributor.cues)
    return best


def _highest_score(text: str, lowered: str, distributors: tuple[Distributor, ...]) -> tuple[int, Distributor]:
    """The highest ``Distributor.score`` and its distributor (the first listed on a tie), scoring only those
    that can win.

    CNPJ cues cost a set lookup, text cues a substring search of the whole bill each: a distributor's
    CNPJ score plus the weight of all its text cues bounds its score, and distributors are scored in
    decreasing order of that bound until no bound reaches the best score found. On a bill whose
    distributor prints its CNPJ, that is one distributor's text cues instead of every one's.
    """
    bounded = []
    for index, distributor in enumerate(distributors):
        certain = distributor.cnpj_score(text, lowered)
        bounded.append((certain + distributor.text_cue_weight, index, certain, distributor))
    bounded.sort(key=lambda entry: (-entry[0], entry[1]))
    best_score, best_index, best = -1, len(distributors), distributors[0]
    for bound, index, certain, distributor in bounded:
        if bound < best_score:
            break  # the bounds that follow are no higher
        if bound == best_score and index > best_index:
            continue  # at best a tie, which the first listed wins
        score = certain + sum(cue.weight for cue in distributor.text_cues if cue.found_in(text, lowered))
        if score > best_score or (score == best_score and index < best_index):
            best_score, best_index, best = score, index, distributor
    return best_score, best


def choose_layout(distributor: Distributor, document: PdfText) -> Layout:
    for layout in distributor.layouts:
        if layout.matches(document):
            return layout
    raise UnsupportedLayout(distributor.name, (layout.name for layout in distributor.layouts))
