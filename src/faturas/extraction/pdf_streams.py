"""check_inflated_size(): refuse a decompression bomb before the PDF library inflates it.

PDFium inflates a content stream whole, in memory: a few kilobytes of twice-deflated zeros become
gigabytes, and PDFium aborts the process when memory runs out. Here every zlib stream (FlateDecode,
as many times over as it is wrapped) is inflated in small steps that are counted and dropped, and
the count stops at the limit, so a bomb costs a second and a few megabytes. This is a scan of the
raw bytes, not a parser: what it cannot read (encrypted or damaged streams, other filters) is left
to PDFium, and the extraction process's memory limit stays the last line of defence.
"""

from __future__ import annotations

import itertools
import re
import zlib
from collections.abc import Iterable, Iterator

from faturas.errors import DecompressionBomb

#: One stream may inflate to this much: a 300 dpi RGB page scan is about 26 MB raw, 600 dpi gray 35 MB.
MAX_INFLATED_STREAM_BYTES = 128 * 1024 * 1024

#: All streams of a file together.
MAX_INFLATED_TOTAL_BYTES = 1024 * 1024 * 1024

#: Inflate at most this much at a time, from input slices of this size: the scan never holds more.
_STEP = 1024 * 1024
_INPUT_STEP = 64 * 1024

#: A direct /Length (an indirect one, ``/Length 12 0 R``, is not followed: the data ends at ``endstream``).
_DIRECT_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\d)(?!\s+\d+\s+R)")

#: An indirect /Length: the number is object 12's, looked up in the cross-reference (see _CrossReference).
_INDIRECT_LENGTH = re.compile(rb"/Length\s+(\d+)\s+(\d+)\s+R\b")

#: A length object: ``12 0 obj 345 endobj``.
_LENGTH_OBJECT = re.compile(rb"(\d+)\s+(\d+)\s+obj\s*(\d+)\s*endobj")

#: ``endstream`` is looked for this far before a stream's indirect length is looked up: a short stream
#: is found sooner by the scan, a long one (a page scan of megabytes) by the lookup.
_SCAN_BEFORE_LOOKUP = 16 * 1024

#: Images are skipped: they are most of the bytes of a scanned bill, text extraction never decodes them,
#: and rendering (OCR) decodes them row by row only as far as their declared size.
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")

#: How far back from ``stream`` its dictionary may start.
_DICTIONARY_WINDOW = 4096

#: Deflate's largest expansion: a 258-byte match costs at least two bits of input (RFC 1951).
_MAX_DEFLATE_RATIO = 1032

#: Input enough for any zlib stream's first two output bytes (block headers are a few hundred bytes).
_HEAD_INPUT = 4096

#: Input the decoder may have taken in without giving its output yet (bit buffer, a match cut short
#: by the output step), counted as unread when bounding what a stream still inflates to.
_DECODER_HELD_INPUT = 16

#: zlib inside zlib inside zlib: no honest PDF nests deeper (FlateDecode twice is already odd).
_MAX_LAYERS = 4


def check_inflated_size(
    data: bytes,
    stream_limit: int = MAX_INFLATED_STREAM_BYTES,
    total_limit: int = MAX_INFLATED_TOTAL_BYTES,
) -> None:
    """Raise DecompressionBomb when a stream, or all of them together, inflates past its limit.

    One layer of deflate expands data at most about 1032 times, so a stream's length bounds what it
    inflates to: only a stream wrapped in zlib again, or long enough for its bound to pass the limit,
    is inflated (and counted). Honest bills pass on their lengths alone.
    """
    streams = list(_streams(data))
    total = sum(_size_or_bound(body, stream_limit) for body in streams)
    if total > total_limit:  # bounds overestimate: count every stream before refusing the file
        _check_measured_total(streams, stream_limit, total_limit)


def _size_or_bound(body: memoryview, stream_limit: int) -> int:
    if _may_be_nested(body):
        return _measured_size(body, stream_limit, stream_limit, stream_limit)
    bound = _MAX_DEFLATE_RATIO * len(body)
    if bound <= stream_limit:
        return bound
    return _bounded_size(body, stream_limit)


def _bounded_size(body: memoryview, stream_limit: int) -> int:
    """A bound on what one layer of zlib inflates to, inflating only until the unread rest cannot pass the limit.

    What is inflated so far, plus the most the unread input (and what the decoder holds) can still
    give, is a bound: a long font stream is safe once a fraction of it has been read, so it is not
    inflated whole. Raises as soon as the inflated bytes alone pass the limit.
    """
    if not _looks_like_zlib(body):
        return 0
    decompressor = zlib.decompressobj()
    size = 0
    offset = 0
    try:
        while True:
            unread = len(body) - offset + len(decompressor.unconsumed_tail)
            bound = size + _MAX_DEFLATE_RATIO * (unread + _DECODER_HELD_INPUT)
            if bound <= stream_limit:
                return bound
            pending = decompressor.unconsumed_tail
            if not pending:
                if offset >= len(body):
                    return size + len(decompressor.flush())
                # Just the input the bound needs read (and at least one step's worth of it).
                allowed = (stream_limit - size) // _MAX_DEFLATE_RATIO - _DECODER_HELD_INPUT
                step = min(max(unread - allowed, _HEAD_INPUT), _INPUT_STEP)
                pending = bytes(body[offset : offset + step])
                offset += len(pending)
            size += len(decompressor.decompress(pending, _STEP))
            if size > stream_limit:
                raise DecompressionBomb(stream_limit // (1024 * 1024))
            if decompressor.eof:
                return size
    except zlib.error:
        return size


def _check_measured_total(streams: list[memoryview], stream_limit: int, total_limit: int) -> None:
    total = 0
    for body in streams:
        total += _measured_size(body, stream_limit, total_limit - total, total_limit)


def _measured_size(body: memoryview, stream_limit: int, remaining: int, total_limit: int) -> int:
    """Inflate and count, raising as soon as the stream passes its limit or what the file has left."""
    size = 0
    for chunk in _inflated(body):
        size += len(chunk)
        if size > stream_limit:
            raise DecompressionBomb(stream_limit // (1024 * 1024))
        if size > remaining:
            raise DecompressionBomb(total_limit // (1024 * 1024))
    return size


def _may_be_nested(body: memoryview) -> bool:
    """Whether a zlib stream's first inflated bytes are (or may be) zlib again."""
    if not _looks_like_zlib(body):
        return False
    try:
        head = zlib.decompressobj().decompress(body[:_HEAD_INPUT], 2)
    except zlib.error:
        return False
    return len(head) < 2 or _looks_like_zlib(head)


def _streams(data: bytes) -> Iterator[memoryview]:
    """The raw bytes of every stream but images, by its direct /Length when it has one, else up to ``endstream``.

    A stream whose /Length is confirmed by ``endstream`` right after it is stepped over whole: scanning
    megabytes of image data for the next ``stream`` keyword would cost more than the rest of the check.
    """
    view = memoryview(data)
    cross_reference = _CrossReference(data)
    position = data.find(b"stream")
    while position >= 0:
        keyword = position
        start = _data_start(data, keyword)
        if start is None:
            position = data.find(b"stream", keyword + 6)  # bytes.find, not a regex
            continue
        window_start = max(0, keyword - _DICTIONARY_WINDOW)
        dictionary = data.rfind(b"obj", window_start, keyword) + 1 or window_start  # this object's only
        length = _DIRECT_LENGTH.search(data, dictionary, keyword)
        if length is not None:
            end = start + int(length.group(1))
            known_end = _endstream_at(data, end)
        else:
            end = _indirect_end(data, dictionary, keyword, start, cross_reference)
            known_end = end >= 0
        # Past this stream's data when its end is known (an honest /Length, or the ``endstream`` found).
        position = data.find(b"stream", end + len(b"endstream") if known_end else keyword + 6)
        if not _IMAGE.search(data, dictionary, keyword):
            yield view[start : end if 0 <= end <= len(data) else len(data)]


def _indirect_end(data: bytes, dictionary: int, keyword: int, start: int, cross_reference: _CrossReference) -> int:
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
            if _endstream_at(data, end):
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


class _CrossReference:
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
        keyword = data.find(b"stream", at, at + _DICTIONARY_WINDOW)
        start = _data_start(data, keyword) if keyword >= 0 else None
        if start is None:
            return
        dictionary = data[at:keyword]
        widths = _XREF_WIDTHS.search(dictionary)
        size = _XREF_SIZE.search(dictionary)
        length = _DIRECT_LENGTH.search(dictionary)
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
            if not _looks_like_zlib(raw):
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


def _endstream_at(data: bytes, end: int) -> bool:
    """Whether ``endstream`` follows ``end`` (after the optional end-of-line): a /Length that tells the truth."""
    return data[end : end + 12].lstrip(b"\r\n ").startswith(b"endstream")


def _data_start(data: bytes, keyword: int) -> int | None:
    """Where a stream's data starts, if ``stream`` at ``keyword`` opens one (not the end of ``endstream``)."""
    if data[max(0, keyword - 3) : keyword] == b"end":
        return None
    after = keyword + 6
    if data[after : after + 2] == b"\r\n":
        return after + 2
    if data[after : after + 1] in (b"\n", b"\r"):
        return after + 1
    return None


def _inflated(body: memoryview) -> Iterator[bytes]:
    """The stream's data through every layer of zlib it is wrapped in; nothing for data that is not zlib.

    Told by the zlib header, not by /Filter, which may be an indirect object or lie.
    """
    chunks: Iterator[bytes | memoryview] = iter((body,))
    layers = 0
    while True:
        first = next(chunks, None)
        if first is None:
            return
        chunks = itertools.chain((first,), chunks)
        if layers == _MAX_LAYERS or not _looks_like_zlib(first):
            break
        chunks = _inflate(chunks)
        layers += 1
    if layers:
        yield from (bytes(chunk) if isinstance(chunk, memoryview) else chunk for chunk in chunks)


def _looks_like_zlib(head: bytes | memoryview) -> bool:
    """A zlib header: deflate method, a window of at most 32 KB, and the check bits right."""
    return len(head) >= 2 and head[0] & 0x0F == 8 and head[0] >> 4 <= 7 and (head[0] * 256 + head[1]) % 31 == 0


def _inflate(chunks: Iterable[bytes | memoryview]) -> Iterator[bytes]:
    """Inflate a zlib stream arriving in chunks, a step at a time; damaged data simply ends it."""
    decompressor = zlib.decompressobj()
    try:
        for chunk in chunks:
            for offset in range(0, len(chunk), _INPUT_STEP):
                pending = bytes(chunk[offset : offset + _INPUT_STEP])
                while pending:
                    out = decompressor.decompress(pending, _STEP)
                    if out:
                        yield out
                    if decompressor.eof:
                        return
                    pending = decompressor.unconsumed_tail
        tail = decompressor.flush()
        if tail:
            yield tail
    except zlib.error:
        return
