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
from faturas.extraction.pdf_cross_reference import CrossReference, indirect_end
from faturas.extraction.pdf_syntax import DICTIONARY_WINDOW, DIRECT_LENGTH, data_start, endstream_at, looks_like_zlib

#: One stream may inflate to this much: a 300 dpi RGB page scan is about 26 MB raw, 600 dpi gray 35 MB.
MAX_INFLATED_STREAM_BYTES = 128 * 1024 * 1024

#: All streams of a file together.
MAX_INFLATED_TOTAL_BYTES = 1024 * 1024 * 1024

#: Inflate at most this much at a time, from input slices of this size: the scan never holds more.
_STEP = 1024 * 1024
_INPUT_STEP = 64 * 1024


#: Images are skipped: they are most of the bytes of a scanned bill, text extraction never decodes them,
#: and rendering (OCR) decodes them row by row only as far as their declared size.
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")


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
    if not looks_like_zlib(body):
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
    if not looks_like_zlib(body):
        return False
    try:
        head = zlib.decompressobj().decompress(body[:_HEAD_INPUT], 2)
    except zlib.error:
        return False
    return len(head) < 2 or looks_like_zlib(head)


def _streams(data: bytes) -> Iterator[memoryview]:
    """The raw bytes of every stream but images, by its direct /Length when it has one, else up to ``endstream``.

    A stream whose /Length is confirmed by ``endstream`` right after it is stepped over whole: scanning
    megabytes of image data for the next ``stream`` keyword would cost more than the rest of the check.
    """
    view = memoryview(data)
    cross_reference = CrossReference(data)
    position = data.find(b"stream")
    while position >= 0:
        keyword = position
        start = data_start(data, keyword)
        if start is None:
            position = data.find(b"stream", keyword + 6)  # bytes.find, not a regex
            continue
        window_start = max(0, keyword - DICTIONARY_WINDOW)
        dictionary = data.rfind(b"obj", window_start, keyword) + 1 or window_start  # this object's only
        length = DIRECT_LENGTH.search(data, dictionary, keyword)
        if length is not None:
            end = start + int(length.group(1))
            known_end = endstream_at(data, end)
        else:
            end = indirect_end(data, dictionary, keyword, start, cross_reference)
            known_end = end >= 0
        # Past this stream's data when its end is known (an honest /Length, or the ``endstream`` found).
        position = data.find(b"stream", end + len(b"endstream") if known_end else keyword + 6)
        if not _IMAGE.search(data, dictionary, keyword):
            yield view[start : end if 0 <= end <= len(data) else len(data)]


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
        if layers == _MAX_LAYERS or not looks_like_zlib(first):
            break
        chunks = _inflate(chunks)
        layers += 1
    if layers:
        yield from (bytes(chunk) if isinstance(chunk, memoryview) else chunk for chunk in chunks)


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
