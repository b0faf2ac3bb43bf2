"""The items table read again, enlarged: the small print that a read of the whole page garbles.

Screenshots print the items table in figures 6 to 8 pixels tall; read with the page, Tesseract loses
digits and separators ("3.185,42" as "31542"). The band below the table's header (found in the page
read) is cut from the page before cleaning (the median filter merges thin strokes), enlarged and read
again; its words replace the page read's in that band, so the templates see one page with sharper
rows. Nothing is inferred: the enlarged read is still checked by the items' arithmetic and the sum.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import replace

from PIL import Image, ImageOps

from faturas.extraction.ocr.engine import Word

#: The word that opens an items table's header on every form read from images ("Itens de fatura",
#: "ITENS DA FATURA", "Descrição da operação", "DESCRIÇÃO DO FATURAMENTO"; OCR reads "Itens" as "ftens").
#: Capitalised: "itens" in the notices' prose ("demais itens cobrados") opens no table. A photo's
#: small capitals often lose their spaces ("ITENSDAFATURA").
HEADER_WORD = re.compile(r"^[\[|(]?(?:[IFÍ]tens|ftens|ITENS(?:DA(?:FATURA)?)?)$|^DESCRI[ÇC][ÃA]O$|^Descri[çc][ãa]o$")

#: Without a header read, the table's first billed line: its capitalised first word ("Consumo Uso
#: Sistema", "Energia Elétrica kWh"), in the left half of the page. The band then opens this many of
#: its heights above it, so that the header's rows (two lines on most forms) are in it.
FIRST_ROW_WORD = re.compile(r"^(?:Consumo|Energia|CONSUMO|ENERGIA)$")
FIRST_ROW_LEAD = 4
#: Digits the first billed line holds to the right of its first word, at least (its figures).
FIRST_ROW_DIGITS = 4

#: Without either, the table's first unit price: a figure with five or more decimals ("0,59412345",
#: read with a stray bracket "0.71234567]"), printed on billed lines alone (the meter and summary
#: boxes print kWh and reais), with another below it within the band. The band then opens this many
#: of its heights above it: the header's rows, and a title above them ("Detalhes do faturamento").
PRICE = re.compile(r"^[\[|(]?0[.,]\d{5,}[\]|)]?$")
PRICE_LEAD = 8

#: How far below the header the band reaches (share of the page's height): the tables read from
#: images span a twelfth of the page at most, with the fee rows below them.
BAND_SHARE = 0.12

#: How much the band is enlarged; the margin (in word heights) read beyond its edges keeps rows whole.
ZOOM = 2.0
MARGIN_WORDS = 2

#: Block numbers of the enlarged read's words start here, apart from the page read's.
BLOCK_OFFSET = 10_000


def items_band(words: list[Word], page_height: int) -> tuple[int, int] | None:
    """The rows (top, bottom in page pixels) from the items table's header down (or, when no header
    was read, from above its first billed line, else from above its first unit price), or None when
    none of them was read."""
    ordered = sorted(words, key=lambda word: word.top)
    header = next((word for word in ordered if HEADER_WORD.match(word.text)), None)
    if header is not None:
        top = max(0, header.top - header.height)
        return top, min(page_height, header.top + round(BAND_SHARE * page_height))
    first = _first_row(ordered)
    lead = FIRST_ROW_LEAD
    if first is None:
        first = _first_price(ordered, round(BAND_SHARE * page_height))
        lead = PRICE_LEAD
    if first is None:
        return None
    return max(0, first.top - lead * first.height), min(page_height, first.top + round(BAND_SHARE * page_height))


def _first_price(ordered: list[Word], reach: int) -> Word | None:
    """The first unit price with another within ``reach`` below it (the tariff column beside it, the
    next billed line): a lone figure with many decimals in a notice opens no table."""
    prices = [word for word in ordered if PRICE.match(word.text)]
    return next((price for price, after in itertools.pairwise(prices) if after.top - price.top <= reach), None)


def _first_row(ordered: list[Word]) -> Word | None:
    """The first word opening a billed line: in the left half of the page, first of its Tesseract
    line, with figures to its right on the same row (a title's "ENERGIA ELÉTRICA" has none)."""
    width = max((word.left + word.width for word in ordered), default=0)
    for word in ordered:
        if not FIRST_ROW_WORD.match(word.text) or word.left >= width / 2:
            continue
        if any(other.line == word.line and other.left < word.left for other in ordered):
            continue
        row = [other for other in ordered if other.left > word.left and abs(other.top - word.top) < word.height / 2]
        if sum(char.isdigit() for other in row for char in other.text) >= FIRST_ROW_DIGITS:
            return word
    return None


def band_image(page: Image.Image, band: tuple[int, int], word_height: int) -> tuple[Image.Image, int]:
    """The band with its margin, enlarged and stretched, and the page row where the cut starts."""
    margin = MARGIN_WORDS * word_height
    top, bottom = max(0, band[0] - margin), min(page.height, band[1] + margin)
    cut = page.crop((0, top, page.width, bottom))
    cut = cut.resize((round(cut.width * ZOOM), round(cut.height * ZOOM)), Image.Resampling.LANCZOS)
    return ImageOps.autocontrast(cut, cutoff=1), top


def merge_band(page_words: list[Word], band_words: list[Word], band: tuple[int, int], cut_top: int) -> list[Word]:
    """The page read with the band's words replaced by the enlarged read's (mapped back to the page)."""
    mapped = [
        replace(
            word,
            left=round(word.left / ZOOM),
            top=cut_top + round(word.top / ZOOM),
            width=max(1, round(word.width / ZOOM)),
            height=max(1, round(word.height / ZOOM)),
            line=(word.line[0] + BLOCK_OFFSET, word.line[1], word.line[2]),
        )
        for word in band_words
    ]
    inside = [word for word in mapped if _centre_in(word, band)]
    if not inside:
        return page_words
    return [word for word in page_words if not _centre_in(word, band)] + inside


def _centre_in(word: Word, band: tuple[int, int]) -> bool:
    return band[0] <= word.top + word.height / 2 < band[1]
