"""The items table's figures read cell by cell: each number cropped, enlarged and read alone.

Screenshots print the items table in figures 6 to 8 pixels tall, right against the table's rules;
read with the page (or the enlarged band), Tesseract loses digits and separators ("3.185,42" as
"31542") and glues the rules to them ("1.27403]"). Here the table's vertical rules are found (long
thin dark columns), the band between them is cut into cells (runs of ink separated by blank rows and
wide blank gaps), and each cell that holds a figure is enlarged and read with digits alone, in
several variants (cut tight or wider, as printed or thickened; all cells of a variant stacked in one
image, one Tesseract call). Where the variants differ, the row's arithmetic chooses (a quantity times
a price with four or more decimals giving an amount of the same row, to the cent), else the reading
most variants agree on. Nothing else is inferred: the templates still check each row's arithmetic and
the items' sum, and a cell read as several words, or taller than a row, is left to the page read.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from PIL import Image

from faturas.extraction.ocr.engine import Word, read_words

#: Grey level below which a pixel belongs to a rule (rules are printed light grey) ...
RULE_GREY = 220
#: ... and to print: dark print first (a watermark's grey outline is lighter, mostly), then grey
#: print (some forms print their figures grey); the one that finds more figure cells is kept.
INK_GREYS = (130, 170)
#: A row of pixels with ink over less than this share of the interval's width is blank: a
#: watermark's strokes crossing the table do not join its rows.
ROW_INK = 0.02
#: Runs of ink rows this close are one row (a capital's thin top is below ROW_INK).
ROW_JOIN = 2
#: A vertical rule is dark over this share of the band's height, and at most this many pixels wide.
RULE_SHARE = 0.6
RULE_WIDTH = 10
#: A horizontal rule is dark over this share of the interval's width.
HORIZONTAL_RULE_SHARE = 0.5
#: A blank gap this many row heights wide separates two cells of a row.
CELL_GAP = 1.2
#: Rows shorter than this share of the page's word height are specks; taller than this many, two rows.
MIN_ROW = 0.3
MAX_ROW = 1.8
#: The cell's print is enlarged to about this height (pixels), at most MAX_ZOOM times.
TARGET_HEIGHT = 36
MAX_ZOOM = 6.0
#: The cuts read: (how far beyond the cell's ink, in row heights, never past the rules around it:
#: print lighter than the ink grey is cut off otherwise; thickening grey or 0), each read once.
VARIANTS = ((0.1, 0), (0.6, 0), (0.1, 200), (0.6, 200), (0.1, 220), (0.6, 220))
#: The other cells are read once, thickened with this grey (see _cut).
TEXT_GREY = 200
#: Blank pixels between the stacked cuts.
STACK_GAP = 40
#: Letters a garbled figure may hold ("c165", "n2s8)").
MAX_LETTERS = 2
#: What a figure cell may hold, and what its read must look like.
FIGURE = re.compile(r"^-?\d[\d.,]*-?%?$")
WHITELIST = "-c tessedit_char_whitelist=0123456789.,-%"
#: The unit column: its cells are short (UNIT_LENGTH characters, UNIT_WIDTH row heights wide at
#: most), read again with the unit's letters alone.
UNIT = "kWh"
UNIT_LENGTH = 4
UNIT_WIDTH = 4
UNIT_WHITELIST = "-c tessedit_char_whitelist=kKwWhH"
#: Block numbers of the cells' words start here, apart from the page and band reads'.
BLOCK_OFFSET = 20_000


@dataclass(frozen=True)
class Cell:
    left: int
    top: int
    right: int
    bottom: int
    #: The columns between the rules around the cell: how far its cut may widen.
    space: tuple[int, int] = (0, 1 << 30)

    @property
    def height(self) -> int:
        return self.bottom - self.top

    def holds(self, word: Word) -> bool:
        """Whether the word's centre lies in the cell."""
        x, y = word.left + word.width / 2, word.top + word.height / 2
        return self.left <= x < self.right and self.top <= y < self.bottom


def _runs(values: list[float], inside: float) -> list[tuple[int, int]]:
    """The (start, end) runs of consecutive values above ``inside``."""
    runs, start = [], None
    for index, value in enumerate(values):
        if value > inside and start is None:
            start = index
        elif value <= inside and start is not None:
            runs.append((start, index))
            start = None
    if start is not None:
        runs.append((start, len(values)))
    return runs


def _joined(runs: list[tuple[int, int]], gap: int) -> list[tuple[int, int]]:
    """The runs with those at most ``gap`` apart joined."""
    joined: list[tuple[int, int]] = []
    for start, end in runs:
        if joined and start - joined[-1][1] <= gap:
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def _profile(mask: Image.Image, across: bool) -> list[float]:
    """The share of ink of each column (``across``: of each row) of a 0/255 mask, 0 to 1."""
    size = (mask.width, 1) if not across else (1, mask.height)
    return [value / 255 for value in mask.resize(size, Image.Resampling.BOX).tobytes()]


def _mask(image: Image.Image, grey: int) -> Image.Image:
    return image.point([255 if value < grey else 0 for value in range(256)])


def vertical_rules(band: Image.Image) -> list[tuple[int, int]]:
    """The band's vertical rules, as (left, right) columns: thin, dark over most of its height."""
    columns = _profile(_mask(band, RULE_GREY), across=False)
    return [(left, right) for left, right in _runs(columns, RULE_SHARE) if right - left <= RULE_WIDTH]


def table_cells(page: Image.Image, band: tuple[int, int], word_height: int, ink_grey: int) -> list[Cell]:
    """The cells of the band (page pixels): between the vertical rules, each run of ink rows cut at
    wide blank gaps."""
    top, bottom = band
    cut = page.crop((0, top, page.width, bottom))
    rules = vertical_rules(cut)
    # The items table is the page's leftmost box: boxes beside it (taxes, history) start after a
    # double rule (its right edge, then theirs a few pixels on).
    end = next((left for (_, right), (left, _) in itertools.pairwise(rules) if left - right < word_height), None)
    rules = [rule for rule in rules if end is None or rule[0] < end]
    edges = [0, *(edge for rule in rules for edge in rule), end if end is not None else cut.width]
    ink = _mask(cut, ink_grey)
    cells: list[Cell] = []
    for left, right in zip(edges[::2], edges[1::2], strict=True):
        if right - left < word_height:
            continue
        interval = ink.crop((left, 0, right, cut.height))
        rows = [share if share < HORIZONTAL_RULE_SHARE else 0.0 for share in _profile(interval, across=True)]
        for row_top, row_bottom in _joined(_runs(rows, ROW_INK), ROW_JOIN):
            height = row_bottom - row_top
            if not MIN_ROW * word_height <= height <= MAX_ROW * word_height:
                continue
            strip = interval.crop((0, row_top, interval.width, row_bottom))
            segments: list[tuple[int, int]] = []
            for start, end in _runs(_profile(strip, across=False), 0.0):
                if segments and start - segments[-1][1] < CELL_GAP * height:
                    segments[-1] = (segments[-1][0], end)
                else:
                    segments.append((start, end))
            cells.extend(
                Cell(left + start, top + row_top, left + end, top + row_bottom, (left, right))
                for start, end in segments
            )
    return cells


def _figure_like(text: str) -> bool:
    """Whether a read looks like a garbled figure: more digits than letters, two letters at most (a
    description's document number, "NF 412730586", is no figure)."""
    digits, letters = sum(char.isdigit() for char in text), sum(char.isalpha() for char in text)
    return digits > 0 and digits >= letters and letters <= MAX_LETTERS


def figure_cells(cells: list[Cell], words: list[Word]) -> list[Cell]:
    """The cells whose words (as the page or band read them) hold more digits than letters."""
    chosen = []
    for cell in cells:
        text = "".join(word.text for word in words if cell.holds(word))
        if _figure_like(text):
            chosen.append(cell)
    return chosen


@dataclass(frozen=True)
class _Reading:
    text: str
    confidence: float


def _cut(page: Image.Image, cell: Cell, pad: float, bold: int) -> Image.Image:
    """The cell enlarged to TARGET_HEIGHT, ``pad`` row heights wider (within its rules), and with
    ``bold``, thickened: pixels darker than that grey black, the rest white."""
    reach = round(pad * cell.height)
    left, right = max(cell.space[0], cell.left - reach), min(cell.space[1], cell.right + reach)
    crop = page.crop((left, cell.top - 2, right, cell.bottom + 2))
    zoom = min(MAX_ZOOM, max(1.0, TARGET_HEIGHT / max(1, cell.height)))
    enlarged = crop.resize((round(crop.width * zoom), round(crop.height * zoom)), Image.Resampling.LANCZOS)
    return enlarged.point([0 if value < bold else 255 for value in range(256)]) if bold else enlarged


def _read_stacked(
    page: Image.Image, cells: list[Cell], pad: float, bold: int, language: str, timeout: float, config: str = WHITELIST
) -> list[_Reading | None]:
    """Every cell's figures in one read: the cuts stacked one under the other, right-aligned, each
    word given back to the cut its centre lies in."""
    cuts = [_cut(page, cell, pad, bold) for cell in cells]
    width = max(cut.width for cut in cuts) + 2 * STACK_GAP
    stacked = Image.new("L", (width, sum(cut.height + STACK_GAP for cut in cuts) + STACK_GAP), 255)
    spans, top = [], STACK_GAP
    for cut in cuts:
        stacked.paste(cut, (width - STACK_GAP - cut.width, top))
        spans.append((top - STACK_GAP / 2, top + cut.height + STACK_GAP / 2))
        top += cut.height + STACK_GAP
    found: list[list[Word]] = [[] for _ in cells]
    for word in read_words(stacked, language, 6, timeout, config):
        centre = word.top + word.height / 2
        index = next((index for index, (start, end) in enumerate(spans) if start <= centre < end), None)
        if index is not None:
            found[index].append(word)
    return [
        _Reading(" ".join(word.text for word in sorted(words, key=lambda word: word.left)),
                 min(word.confidence for word in words)) if words else None
        for words in found
    ]  # fmt: skip


def _readings(page: Image.Image, cells: list[Cell], language: str, timeout: float) -> list[list[_Reading]]:
    """Each cell's distinct readings over the VARIANTS, the most often read (then most confident) first."""
    reads = [_read_stacked(page, cells, pad, bold, language, timeout) for pad, bold in VARIANTS]
    result = []
    for index in range(len(cells)):
        votes: dict[str, list[float]] = {}
        for read in reads:
            reading = read[index]
            if reading is not None:
                votes.setdefault(reading.text, []).append(reading.confidence)
        # One cell holds one figure: a read of several words took in a neighbour, or two rows.
        ranked = sorted(
            ((text, confidences) for text, confidences in votes.items() if FIGURE.match(text)),
            key=lambda item: (-len(item[1]), -max(item[1])),
        )
        result.append([_Reading(text, len(confidences) * 100 + max(confidences)) for text, confidences in ranked])
    return result


def read_figure_cells(
    page: Image.Image, cells: list[Cell], language: str, timeout: float
) -> tuple[list[Word], list[tuple[Cell, str]]]:
    """The figure cells read again, as words on the page (one per cell, the cell's box), and the
    other readings of the cells of rows without arithmetic (fee rows; see TableRead.alternatives)."""
    if not cells:
        return [], []
    readings = _readings(page, cells, language, timeout)
    chosen: dict[Cell, _Reading] = {}
    others: list[tuple[Cell, str]] = []
    for row in _rows([(cell, options) for cell, options in zip(cells, readings, strict=True) if options]):
        picked, fixed = _choose(row)
        chosen.update(picked)
        if not fixed:  # a fee row: its amount is settled by the items' sum alone
            others += [
                (cell, reading.text) for cell, options in row for reading in options if reading is not picked[cell]
            ]
    words = [
        Word(reading.text, min(99.0, reading.confidence % 100), cell.left, cell.top, cell.right - cell.left,
             cell.height, (BLOCK_OFFSET + index, 1, 1))
        for index, (cell, reading) in enumerate(chosen.items())
    ]  # fmt: skip
    return words, others


def _rows(cells: list[tuple[Cell, list[_Reading]]]) -> list[list[tuple[Cell, list[_Reading]]]]:
    """The cells grouped by row (each one's centre within the first's height), left to right."""
    rows: list[list[tuple[Cell, list[_Reading]]]] = []
    for entry in sorted(cells, key=lambda entry: entry[0].top):
        centre = (entry[0].top + entry[0].bottom) / 2
        row = next((row for row in rows if row[0][0].top <= centre < row[0][0].bottom), None)
        if row is None:
            rows.append([entry])
        else:
            row.append(entry)
    return [sorted(row, key=lambda entry: entry[0].left) for row in rows]


def _choose(row: list[tuple[Cell, list[_Reading]]]) -> tuple[dict[Cell, _Reading], set[Cell]]:
    """Each cell's reading: where the readings of three cells (left to right) give a quantity times
    a price equal to an amount, those (the most confident such triple first, then others that agree
    with it); elsewhere the most often read. Also the cells the arithmetic settled."""
    chosen = {cell: readings[0] for cell, readings in row}
    fixed: set[Cell] = set()
    for triple in sorted(_triples(row), key=lambda triple: -sum(reading.confidence for _, reading in triple)):
        if any(cell in fixed and chosen[cell] != reading for cell, reading in triple):
            continue
        for cell, reading in triple:
            chosen[cell] = reading
            fixed.add(cell)
    return chosen, fixed


def _triples(row: list[tuple[Cell, list[_Reading]]]) -> list[tuple[tuple[Cell, _Reading], ...]]:
    """Every choice of readings of three cells (left to right) that holds quantity × price = amount,
    to rounding; the price printed with at least four decimals."""
    found = []
    for first, second, third in itertools.combinations(row, 3):
        for readings in itertools.product(first[1], second[1], third[1]):
            quantity, price, amount = (_value(reading.text) for reading in readings)
            if quantity is None or price is None or amount is None or quantity < 1 or not price:
                continue
            decimals = _decimals(readings[1].text)
            if decimals < MIN_PRICE_DECIMALS:
                continue
            # The amount is the product to the cent, give or take the price's own rounding.
            if abs(quantity * price - abs(amount)) <= CENT + quantity * Decimal(10) ** -decimals:
                found.append(tuple(zip((first[0], second[0], third[0]), readings, strict=True)))
    return found


CENT = Decimal("0.01")
#: A price has at least this many decimals ("0,71352841", "1.27403", "0,913570").
MIN_PRICE_DECIMALS = 4


def _decimals(text: str) -> int:
    return len(text.rstrip("-%").rpartition("," if "," in text else ".")[2])


def _value(text: str) -> Decimal | None:
    """The figure a cell's text prints: "3.185,42", "1.27403" (a period before decimals), "17,43-"."""
    token = text.strip().rstrip("-%")
    if " " in token or not token:
        return None
    if "," in token:
        whole, _, decimals = token.rpartition(",")
        token = whole.replace(".", "") + "." + decimals
    elif token.count(".") == 1 and len(token.partition(".")[2]) != 3:
        pass  # a period before the decimals
    else:
        token = token.replace(".", "")
    try:
        return Decimal(token)
    except InvalidOperation:
        return None


#: A cell this many times taller than the median figure cell holds two rows (a photo's tilt or curl
#: joins them): it is left to the page read.
TALL_CELL = 1.4


def _single_rows(cells: list[Cell]) -> list[Cell]:
    if not cells:
        return cells
    heights = sorted(cell.height for cell in cells)
    median = heights[len(heights) // 2]
    return [cell for cell in cells if cell.height <= TALL_CELL * median]


@dataclass(frozen=True)
class TableRead:
    """The page's words with the table read again, and the same words with one figure cell read
    otherwise (a reading fewer variants gave, of a fee row's cell): when the items do not add up, the
    templates may find that one of these does (see image/read.py)."""

    words: list[Word]
    alternatives: list[list[Word]]


def read_table(
    page: Image.Image, band: tuple[int, int], word_height: int, words: list[Word], language: str, timeout: float
) -> TableRead:
    """The table's rows read again: its figure cells (see read_figure_cells) and, in each row that has
    figures, the other cells enlarged (letters allowed): figures the page read took for letters ("asa"
    for "231,57") are then read as figures too, and the unit again alone (see _read_units).
    Descriptions stay as the page read them: the templates put them back to the form's words."""
    found = [table_cells(page, band, word_height, grey) for grey in INK_GREYS]
    cells = max(found, key=lambda cells: len(figure_cells(cells, words)))
    figures = _single_rows(figure_cells(cells, words))
    rows = _rows([(cell, []) for cell in cells])
    others = [cell for row in rows if any(cell in figures for cell, _ in row) for cell, _ in row if cell not in figures]
    units: list[Cell] = []
    if others:
        plain = _read_stacked(page, others, 0.1, TEXT_GREY, language, timeout, "")
        for cell, reading in zip(others, plain, strict=True):
            if reading is None:
                continue
            if _figure_like(reading.text):
                figures.append(cell)
            elif len(reading.text) <= UNIT_LENGTH and cell.right - cell.left <= UNIT_WIDTH * cell.height:
                units.append(cell)
        figures = _single_rows(figures)
    figure_words, alternatives = read_figure_cells(page, figures, language, timeout)
    added = figure_words + _read_units(page, units, language, timeout)
    replaced = [cell for cell in cells if any(cell.holds(word) for word in added)]
    kept = [word for word in words if not any(cell.holds(word) for cell in replaced)]
    grouped = [[cell for cell, _ in row] for row in rows]
    merged = _one_line_per_row(kept + added, grouped, replaced)
    return TableRead(merged, [_reread(merged, cell, text) for cell, text in alternatives[:MAX_ALTERNATIVES]])


#: At most this many alternative reads are kept (each costs the templates one more reading).
MAX_ALTERNATIVES = 8


def _reread(words: list[Word], cell: Cell, text: str) -> list[Word]:
    """The words with the figure read in ``cell`` replaced by ``text``."""
    return [
        replace(word, text=text)
        if word.line[0] >= BLOCK_OFFSET and (word.left, word.width) == (cell.left, cell.right - cell.left)
        else word
        for word in words
    ]


def _read_units(page: Image.Image, cells: list[Cell], language: str, timeout: float) -> list[Word]:
    """The short cells beside the figures read again with the letters of the unit alone: a cell that
    then reads "kWh" is the unit ("kV", "Kva" and "havh" in the page read); any other is left as read."""
    if not cells:
        return []
    reads = _read_stacked(page, cells, 0.1, 0, language, timeout, UNIT_WHITELIST)
    return [
        Word(UNIT, reading.confidence, cell.left, cell.top, cell.right - cell.left, cell.height, (BLOCK_OFFSET, 1, 1))
        for cell, reading in zip(cells, reads, strict=True)
        if reading is not None and reading.text.lower() == UNIT.lower()
    ]


def _one_line_per_row(words: list[Word], rows: list[list[Cell]], replaced: list[Cell]) -> list[Word]:
    """The words, those in the cells of each row with figures read again made one line spanning the
    row: the page read's lines of a description often run on into the boxes beside the table, and
    would not be joined to the row's figures."""
    placed = []
    owners = {}
    for index, row in enumerate(rows):
        if any(cell in replaced for cell in row):
            top, bottom = min(cell.top for cell in row), max(cell.bottom for cell in row)
            for cell in row:
                owners[cell] = (index, top, bottom)
    for word in words:
        owner = next((owners[cell] for cell in owners if cell.holds(word)), None)
        if owner is None:
            placed.append(word)
        else:
            index, top, bottom = owner
            placed.append(replace(word, top=top, height=bottom - top, line=(BLOCK_OFFSET + index, 1, 1)))
    return placed
