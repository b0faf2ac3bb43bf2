"""OCR words back into text lines shaped like a PDF text layer: one visual row per line.

PDFium prints a table row ("Energia Elétrica kWh 50 0,86 43,28") on one line, while Tesseract's
automatic segmentation reads tables column by column. Templates are written against the text layer,
so the words are regrouped into rows: Tesseract lines whose vertical extents overlap form one row,
read left to right.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from faturas.extraction.ocr.engine import Word

#: Two lines are on the same row when they share at least this fraction of the shorter one's height.
ROW_OVERLAP = 0.5

#: A space wider than this many word heights separates two cells (boxes, columns) of a row.
CELL_GAP = 2.0


#: Words read with less confidence than this (specks, a chart's strokes) are not sure print.
MIN_SURE_CONFIDENCE = 50.0


@dataclass(frozen=True)
class _Line:
    words: tuple[Word, ...]

    @property
    def top(self) -> int:
        return min(word.top for word in self.words)

    @property
    def bottom(self) -> int:
        return max(word.bottom for word in self.words)

    @property
    def sure(self) -> tuple[Word, ...]:
        return tuple(word for word in self.words if word.confidence >= MIN_SURE_CONFIDENCE)

    @property
    def left(self) -> int:
        return min(word.left for word in self.words)


def rows_text(words: Iterable[Word], cells: bool = False) -> str:
    """The page as rows, top to bottom, each row's words left to right; with ``cells``, a tab marks
    each gap between boxes or columns (see _row_words)."""
    rows: list[list[_Line]] = []
    for line in sorted(_lines(words), key=lambda line: (line.top + line.bottom) / 2):
        row = next((row for row in rows if _overlaps(row, line)), None)
        if row is None:
            rows.append([line])
        else:
            row.append(line)
    rows.sort(key=lambda row: min(line.top for line in row))
    separator = "\t" if cells else " "
    return "\n".join(" ".join(_row_words(row)).replace(" \t", separator) for row in rows)


def blocks_text(words: Iterable[Word]) -> str:
    """The page in Tesseract's own reading order: block by block, line by line."""
    return "\n".join(" ".join(word.text for word in line.words) for line in _lines(words))


def _lines(words: Iterable[Word]) -> list[_Line]:
    grouped: dict[tuple[int, int, int], list[Word]] = defaultdict(list)
    for word in words:
        grouped[word.line].append(word)
    return [_Line(tuple(sorted(group, key=lambda word: word.left))) for _, group in sorted(grouped.items())]


def _overlaps(row: list[_Line], line: _Line) -> bool:
    # Against every member, not the row's running extent: a tall heading beside two small lines
    # would otherwise chain them into one row.
    return all(_shared_height(member, line) and not _stacked(member, line) for member in row)


def _stacked(first: _Line, second: _Line) -> bool:
    """Whether two lines are two rows of one column whose heights overlap only through specks or a
    chart's strokes read into them ("Parcela … 96,14" over "Correção Monetária … 7,35", the history
    chart beside them): each line's sure words all above the other's, and both starting in the same
    column (a tilted row that OCR split in two has its parts side by side, never one over the other)."""
    upper, lower = sorted((first.sure, second.sure), key=lambda words: min((w.top for w in words), default=0))
    if not upper or not lower or max(w.bottom for w in upper) > min(w.top for w in lower):
        return False
    upper_first, lower_first = min(upper, key=lambda w: w.left), min(lower, key=lambda w: w.left)
    return (
        upper_first.left < lower_first.left + lower_first.width
        and lower_first.left < upper_first.left + upper_first.width
    )


def _shared_height(first: _Line, second: _Line) -> bool:
    shared = min(first.bottom, second.bottom) - max(first.top, second.top)
    shorter = min(first.bottom - first.top, second.bottom - second.top)
    return shorter > 0 and shared >= ROW_OVERLAP * shorter


def _row_words(row: list[_Line]) -> list[str]:
    """The row's words, a tab before each that stands a column gap after the previous one.

    A text layer prints boxes side by side as separate lines; OCR rows run across them. The tab
    keeps where one box ends and the next begins ("… em referência\tCusto de Disponibilidade\t104,80"),
    and templates that split on spaces see it as one.
    """
    words = sorted((word for line in row for word in line.words), key=lambda word: word.left)
    if not words:
        return []
    heights = sorted(word.height for word in words)
    gap = CELL_GAP * heights[len(heights) // 2]
    texts = [words[0].text]
    for previous, word in itertools.pairwise(words):
        texts.append(("\t" if word.left - (previous.left + previous.width) > gap else "") + word.text)
    return texts


#: A vertical gap at least this many word heights wide separates columns; a horizontal gap at least
#: this many separates bands (boxes, sections) of the page.
COLUMN_GAP = 1.2
BAND_GAP = 0.9
TIGHT_BAND_GAP = 0.4


def columns_text(words: Iterable[Word]) -> str:
    """The page cut into boxes and columns at wide white gaps (recursive XY-cut), each read as rows.

    A text layer prints a boxed label and its value as consecutive lines ("Nº DA UNIDADE",
    "CONSUMIDORA", "40000009") even when other boxes stand beside them; rows across the whole page
    would interleave the neighbours. Templates get both shapes to choose from.
    """
    boxes = list(words)
    # Box borders and rules come back as "words" of bars and dashes that would bridge every gap:
    # the cut ignores them, then each rejoins the part it lies in.
    solid = [word for word in boxes if any(char.isalnum() for char in word.text)]
    if not solid:
        return ""
    heights = sorted(word.height for word in solid)
    unit = max(1, heights[len(heights) // 2])
    leaves = _cut(solid, unit, across=True)
    for word in boxes:
        if word not in solid:
            leaf = next((leaf for leaf in leaves if _contains(leaf, word)), None)
            if leaf is not None:
                leaf.append(word)
    return "\n".join(rows_text(leaf) for leaf in leaves)


def _contains(leaf: list[Word], word: Word) -> bool:
    middle_x, middle_y = word.left + word.width / 2, word.top + word.height / 2
    return min(other.left for other in leaf) <= middle_x <= max(other.left + other.width for other in leaf) and min(
        other.top for other in leaf
    ) <= middle_y <= max(other.bottom for other in leaf)


def _cut(words: list[Word], unit: int, across: bool) -> list[list[Word]]:
    """Split by horizontal gaps (``across``) or vertical ones, alternating, until nothing splits.

    When neither splits, a tighter horizontal gap is tried: a full-width row (a header line) sitting
    close above two columns would otherwise keep them from ever being cut apart.
    """
    parts = _split(words, BAND_GAP * unit if across else COLUMN_GAP * unit, across)
    if len(parts) == 1:
        across = not across
        parts = _split(words, BAND_GAP * unit if across else COLUMN_GAP * unit, across)
    if len(parts) == 1:
        across = True
        parts = _split(words, TIGHT_BAND_GAP * unit, across)
    if len(parts) == 1:
        return [words]
    return [leaf for part in parts for leaf in _cut(part, unit, not across)]


def _split(words: list[Word], gap: float, across: bool) -> list[list[Word]]:
    def span(word: Word) -> tuple[int, int]:
        return (word.top, word.bottom) if across else (word.left, word.left + word.width)

    parts: list[list[Word]] = []
    end = 0
    for word in sorted(words, key=span):
        start, stop = span(word)
        if not parts or start - end >= gap:
            parts.append([word])
            end = stop
        else:
            parts[-1].append(word)
            end = max(end, stop)
    return parts
