"""Where a stream with an indirect /Length ends, looked up through the file's cross-reference."""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator

from faturas.extraction.pdf_syntax import DICTIONARY_WINDOW, DIRECT_LENGTH, data_start, endstream_at, looks_like_zlib

#: An indirect /Length: the number is object 12's, looked up in the cross-reference (see CrossReference).
_INDIRECT_LENGTH = re.compile(rb"/Length\s+(\d+)\s+(\d+)\s+R\b")

#: A length object: ``12 0 obj 345 endobj``.
_LENGTH_OBJECT = re.compile(rb"(\d+)\s+(\d+)\s+obj\s*(\d+)\s*endobj")

#: ``endstream`` is looked for this far before a stream's indirect length is looked up: a short stream
#: is found sooner by the scan, a long one (a page scan of megabytes) by the lookup.
_SCAN_BEFORE_LOOKUP = 16 * 1024


def indirect_end(data: bytes, dictionary: int, keyword: int, start: int, cross_reference: CrossReference) -> int:
    """Where the data of a stream without a direct /Length ends: the first ``endstream``, or -1.

    A long stream (a page scan) is not scanned for it when its indirect /Length, looked up through the
    cross-reference, is confirmed by ``endstream`` right after: the same trust as a direct /Length.
    """
    end = data.find(b"endstream", start, start + _SCAN_BEFORE_LOOKUP)
    if end >= 0:
        return end
    reference = _INDIRECT_LENGTH.search(data, dictionary, keyword)
    if reference is not None:
        number, generation = int(reference.group(1)), int(reference.group(2))
        offset = cross_reference.offset(number)
        found = _LENGTH_OBJECT.match(data, offset, offset + _SHORT_WINDOW) if offset is not None else None
        if found is not None and (int(found.group(1)), int(found.group(2))) == (number, generation):
            end = start + int(found.group(3))
            if endstream_at(data, end):
                return end
    # Not within the first bytes scanned: an ``endstream`` further on starts no earlier than this.
    return data.find(b"endstream", start + _SCAN_BEFORE_LOOKUP - len(b"endstream") + 1)


#: ``startxref`` and the offset of the last cross-reference section, near the end of the file.
_STARTXREF = re.compile(rb"startxref\s+(\d+)")
_STARTXREF_WINDOW = 1024
#: A cross-reference table's subsection header (first object number, count) and a 20-byte entry.
_SUBSECTION = re.compile(rb"\s*(\d+)\s+(\d+)[ \t]*(?:\r\n|\r|\n)")
_TABLE_ENTRY_SIZE = 20
_TABLE_ENTRY = re.compile(rb"(\d{10}) \d{5} ([nf])")
#: A cross-reference stream's object and the dictionary entries read here.
_XREF_STREAM = re.compile(rb"\d+\s+\d+\s+obj\s*<<")
_XREF_WIDTHS = re.compile(rb"/W\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s*\]")
_XREF_INDEX = re.compile(rb"/Index\s*\[([\d\s]*)\]")
_XREF_SIZE = re.compile(rb"/Size\s+(\d+)")
_XREF_PREDICTOR = re.compile(rb"/Predictor\s+(\d+)")
_XREF_COLUMNS = re.compile(rb"/Columns\s+(\d+)")
#: Bounds on what a hostile file can make the lookup cost; past them, streams are scanned as before.
#: A cross-reference stream is read up to this (thousands of objects: a bill has hundreds).
_MAX_XREF_BYTES = 64 * 1024
#: Subsections of a table, and lookups per file (a bill has a few long streams).
_MAX_SUBSECTIONS = 256
_MAX_LOOKUPS = 64
#: A length object or a subsection header is short.
_SHORT_WINDOW = 64
#: A cross-reference stream's field is a few bytes wide (an offset, 4 for files under 4 GB).
_MAX_FIELD_WIDTH = 8
#: PNG row filters: None and Up are what writers use for cross-reference streams.
_PNG_NONE, _PNG_UP = b"\x00", b"\x02"


class CrossReference:
    """Object offsets from the file's last cross-reference section (a table or a stream), read on first use.

    Only a hint: a length object found through it is trusted only when ``endstream`` follows the data it
    measures. Anything not read here (an earlier section, a compressed object, an unusual encoding) is None.
    """

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._read = False
        self._lookups = 0
        self._subsections: list[tuple[int, int, int]] = []  # a table's: first number, count, first entry
        self._entries = b""  # a stream's rows
        self._widths = (0, 0, 0)
        self._index: list[int] = []
        self._png = False

    def offset(self, number: int) -> int | None:
        if not self._read:
            self._read = True
            self._load()
        self._lookups += 1
        if self._lookups > _MAX_LOOKUPS:
            return None
        if self._subsections:
            return self._table_offset(number)
        if self._entries:
            return self._stream_offset(number)
        return None

    def _load(self) -> None:
        data = self._data
        found = _last(_STARTXREF.finditer(data, max(0, len(data) - _STARTXREF_WINDOW)))
        if found is None:
            return
        at = int(found.group(1))
        if data.startswith(b"xref", at):
            self._load_table(at + len(b"xref"))
        elif _XREF_STREAM.match(data, at, at + _SHORT_WINDOW):
            self._load_stream(at)

    def _load_table(self, position: int) -> None:
        data = self._data
        while len(self._subsections) < _MAX_SUBSECTIONS:
            subsection = _SUBSECTION.match(data, position, position + _SHORT_WINDOW)
            if subsection is None:
                return
            first, count = int(subsection.group(1)), int(subsection.group(2))
            self._subsections.append((first, count, subsection.end()))
            position = subsection.end() + count * _TABLE_ENTRY_SIZE

    def _table_offset(self, number: int) -> int | None:
        for first, count, entries in self._subsections:
            if first <= number < first + count:
                entry = _TABLE_ENTRY.match(self._data, entries + (number - first) * _TABLE_ENTRY_SIZE)
                return int(entry.group(1)) if entry is not None and entry.group(2) == b"n" else None
        return None

    def _load_stream(self, at: int) -> None:
        data = self._data
        keyword = data.find(b"stream", at, at + DICTIONARY_WINDOW)
        start = data_start(data, keyword) if keyword >= 0 else None
        if start is None:
            return
        dictionary = data[at:keyword]
        widths = _XREF_WIDTHS.search(dictionary)
        size = _XREF_SIZE.search(dictionary)
        length = DIRECT_LENGTH.search(dictionary)
        if b"/XRef" not in dictionary or widths is None or size is None or length is None:
            return
        self._widths = (int(widths.group(1)), int(widths.group(2)), int(widths.group(3)))
        if not 0 < self._widths[1] <= _MAX_FIELD_WIDTH or max(self._widths) > _MAX_FIELD_WIDTH:
            return
        index = _XREF_INDEX.search(dictionary)
        self._index = [int(n) for n in index.group(1).split()] if index else [0, int(size.group(1))]
        predictor = _XREF_PREDICTOR.search(dictionary)
        method = int(predictor.group(1)) if predictor is not None else 1
        columns = _XREF_COLUMNS.search(dictionary)
        self._png = method >= 10  # PNG: a filter byte before each row
        if method not in (1, *range(10, 16)) or (
            self._png and (columns is None or int(columns.group(1)) != sum(self._widths))
        ):
            return
        raw = data[start : start + min(int(length.group(1)), 2 * _MAX_XREF_BYTES)]
        if b"/Filter" in dictionary:
            if not looks_like_zlib(raw):
                return
            try:
                raw = zlib.decompressobj().decompress(raw, _MAX_XREF_BYTES)
            except zlib.error:
                return
        self._entries = raw[:_MAX_XREF_BYTES]

    def _stream_offset(self, number: int) -> int | None:
        row = 0
        index = self._index
        for first, count in zip(index[::2], index[1::2], strict=False):
            if first <= number < first + count:
                row += number - first
                break
            row += count
        else:
            return None
        kind_width, offset_width, _ = self._widths
        stride = sum(self._widths) + self._png
        entries = self._entries
        if (row + 1) * stride > len(entries):
            return None
        if self._png:
            # Up adds each byte to the one above it: a row is the sum of the rows since the last None-filtered
            # one (or the first), column by column, modulo 256.
            filters = entries[: (row + 1) * stride : stride]
            last_none = filters.rfind(_PNG_NONE)
            if filters.count(_PNG_UP, last_none + 1) != len(filters) - (last_none + 1):
                return None  # another PNG filter: not read here
            base = max(last_none, 0)
            fields = bytes(
                sum(entries[base * stride + 1 + column : (row + 1) * stride : stride]) & 0xFF
                for column in range(stride - 1)
            )
        else:
            fields = entries[row * stride : (row + 1) * stride]
        kind = int.from_bytes(fields[:kind_width], "big") if kind_width else 1
        if kind != 1:
            return None
        return int.from_bytes(fields[kind_width : kind_width + offset_width], "big")


def _last(matches: Iterator[re.Match[bytes]]) -> re.Match[bytes] | None:
    last = None
    for last in matches:  # noqa: B007 - the loop is for its last value
        pass
    return last
