"""Long streams with an indirect /Length: the length object, found through the cross-reference, spares the
scan for ``endstream`` only when ``endstream`` follows the data it measures; anything else is scanned."""

from __future__ import annotations

import random
import zlib

import pytest

from faturas.errors import DecompressionBomb
from faturas.extraction.pdf_cross_reference import CrossReference
from faturas.extraction.pdf_streams import _streams, check_inflated_size
from tests.hostile import raw_pdf

LIMIT = 16 * 1024 * 1024


def _noise(size: int, seed: int = 5) -> bytes:
    return random.Random(seed).randbytes(size)


def _indirect_stream(body: bytes, length_object: int, dictionary: bytes = b"") -> bytes:
    return b"<< /Length %d 0 R %s >>\nstream\n" % (length_object, dictionary) + body + b"\nendstream"


def _image_then(body: bytes, next_stream: bytes, declared: int | None = None) -> list[bytes]:
    """Catalog, a long image whose /Length is object 3, the length object, then another stream."""
    image = _indirect_stream(body, 3, b"/Subtype /Image /Filter /FlateDecode")
    return [b"<< /Type /Catalog >>", image, b"%d" % (len(body) if declared is None else declared), next_stream]


def _bomb_stream() -> bytes:
    return raw_pdf.stream(zlib.compress(raw_pdf.zeros_deflated(1 << 26)), b"/Filter /FlateDecode")


def _with_xref_stream(objects: list[bytes], predictor: bool = True) -> bytes:
    """Like raw_pdf.write_pdf, with a cross-reference stream (rows of /W [1 4 2]) instead of a table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    offsets.append(len(out))  # the cross-reference stream's own
    rows = [b"\x00\x00\x00\x00\x00\xff\xff"] + [b"\x01" + offset.to_bytes(4, "big") + bytes(2) for offset in offsets]
    encoded = bytearray()
    above = bytes(7)
    for row in rows:
        if predictor:  # PNG Up: each byte minus the one above it
            encoded += b"\x02" + bytes((byte - up) & 0xFF for byte, up in zip(row, above, strict=True))
        else:
            encoded += row
        above = row
    data = zlib.compress(bytes(encoded))
    parameters = b"/DecodeParms << /Columns 7 /Predictor 12 >> " if predictor else b""
    dictionary = b"/Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Filter /FlateDecode %s" % (len(rows), parameters)
    out += b"%d 0 obj\n" % len(rows[1:]) + raw_pdf.stream(data, dictionary) + b"\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[-1]
    return bytes(out)


def _offsets(pdf: bytes, count: int) -> list[int]:
    return [pdf.index(b"%d 0 obj" % number) for number in range(1, count + 1)]


@pytest.mark.parametrize(
    "write", [raw_pdf.write_pdf, _with_xref_stream, lambda objects: _with_xref_stream(objects, False)]
)
def test_the_cross_reference_gives_each_object_offset(write: object) -> None:
    objects = [b"<< /Type /Catalog >>", b"(um)", b"12345", raw_pdf.stream(b"abc")]
    pdf = write(objects)  # type: ignore[operator]
    cross_reference = CrossReference(pdf)
    assert [cross_reference.offset(number) for number in range(1, 5)] == _offsets(pdf, 4)
    assert cross_reference.offset(40) is None
    assert cross_reference.offset(0) is None  # the free entry


@pytest.mark.parametrize("write", [raw_pdf.write_pdf, _with_xref_stream])
def test_a_long_image_with_an_honest_indirect_length_is_stepped_over(write: object) -> None:
    body = _noise(200_000)
    pdf = write(_image_then(body, raw_pdf.stream(b"q Q")))  # type: ignore[operator]
    assert bytes(next(_streams(pdf))) == b"q Q"  # then the cross-reference stream, if any
    with pytest.raises(DecompressionBomb):
        check_inflated_size(write(_image_then(body, _bomb_stream())), stream_limit=LIMIT)  # type: ignore[operator]


@pytest.mark.parametrize("declared", [10, 199_999, 200_001, 5_000_000])
@pytest.mark.parametrize("write", [raw_pdf.write_pdf, _with_xref_stream])
def test_a_lying_indirect_length_falls_back_to_the_scan(write: object, declared: int) -> None:
    body = _noise(200_000)
    pdf = write(_image_then(body, raw_pdf.stream(b"q Q"), declared))  # type: ignore[operator]
    assert bytes(next(_streams(pdf))) == b"q Q"
    bomb = write(_image_then(body, _bomb_stream(), declared))  # type: ignore[operator]
    with pytest.raises(DecompressionBomb):
        check_inflated_size(bomb, stream_limit=LIMIT)


def test_a_damaged_cross_reference_falls_back_to_the_scan() -> None:
    body = _noise(200_000)
    pdf = raw_pdf.write_pdf(_image_then(body, _bomb_stream()))
    for damaged in (pdf.replace(b"startxref", b"startxrex"), pdf.replace(b"\nxref\n", b"\nxref\n99 ")):
        with pytest.raises(DecompressionBomb):
            check_inflated_size(damaged, stream_limit=LIMIT)


def test_a_long_bomb_with_an_indirect_length_is_measured_whole() -> None:
    body = zlib.compress(raw_pdf.zeros_deflated(1 << 26)) + _noise(40_000)  # longer than the first scan
    stream = _indirect_stream(body, 3, b"/Filter /FlateDecode")
    pdf = raw_pdf.write_pdf([b"<< /Type /Catalog >>", stream, b"%d" % len(body)])
    with pytest.raises(DecompressionBomb):
        check_inflated_size(pdf, stream_limit=LIMIT)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b"/W [1 4 2]", b"/W [0 0 0]"),
        (b"/W [1 4 2]", b"/W [1 99 2]"),
        (b"/W [1 4 2]", b"/W [1 4]"),
        (b"/Columns 7", b"/Columns 0"),
        (b"/Predictor 12", b"/Predictor 2"),
        (b"/Size", b"/Index [0 3 900000000 5] /Size"),
        (b"/Type /XRef", b"/Type /XRefX /Length 99999999999"),
        (b"/Filter /FlateDecode", b""),
    ],
)
def test_a_garbled_cross_reference_stream_falls_back_to_the_scan(old: bytes, new: bytes) -> None:
    pdf = _with_xref_stream(_image_then(_noise(200_000), _bomb_stream()))
    last = pdf.rindex(b"/Type /XRef")
    garbled = pdf[:last] + pdf[last:].replace(old, new, 1)
    assert garbled != pdf
    with pytest.raises(DecompressionBomb):
        check_inflated_size(garbled, stream_limit=LIMIT)
