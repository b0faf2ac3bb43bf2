"""OCR words back into text lines shaped like a PDF text layer: one visual row per line.

PDFium prints a table row ("Energia Elétrica kWh 50 0,86 43,28") on one line, while Tesseract's
automatic segmentation reads tables column by column. Templates are written against the text layer,
so the words are regrouped into rows: Tesseract lines whose vertical extents overlap form one row,
read left to right.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from faturas.extraction.ocr.engine import Word

#: Two lines are on the same row when they share at least this fraction of the shorter one's height.
ROW_OVERLAP = 0.5


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
    def left(self) -> int:
        return min(word.left for word in self.words)


def rows_text(words: Iterable[Word]) -> str:
    """The page as rows, top to bottom, each row's words left to right."""
    rows: list[list[_Line]] = []
    for line in sorted(_lines(words), key=lambda line: (line.top + line.bottom) / 2):
        row = next((row for row in rows if _overlaps(row, line)), None)
        if row is None:
            rows.append([line])
        else:
            row.append(line)
    rows.sort(key=lambda row: min(line.top for line in row))
    return "\n".join(" ".join(_row_words(row)) for row in rows)


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
    return all(_shared_height(member, line) for member in row)


def _shared_height(first: _Line, second: _Line) -> bool:
    shared = min(first.bottom, second.bottom) - max(first.top, second.top)
    shorter = min(first.bottom - first.top, second.bottom - second.top)
    return shorter > 0 and shared >= ROW_OVERLAP * shorter


def _row_words(row: list[_Line]) -> list[str]:
    return [word.text for line in sorted(row, key=lambda line: line.left) for word in line.words]
