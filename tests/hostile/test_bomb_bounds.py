"""The bomb check's partial reads: a long stream is inflated only as far as its bound needs, never less."""

from __future__ import annotations

import random
import zlib

import pytest

from faturas.errors import DecompressionBomb
from faturas.extraction.pdf_streams import _bounded_size, check_inflated_size
from tests.hostile import raw_pdf

LIMIT = 16 * 1024 * 1024


def _noise(size: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(size)


def _font_like(size: int, seed: int) -> bytes:
    """Compressible but not trivially: words from a small vocabulary, like a font program's."""
    rng = random.Random(seed)
    words = [rng.randbytes(rng.randint(2, 9)) for _ in range(400)]
    out = bytearray()
    while len(out) < size:
        out += rng.choice(words)
    return bytes(out[:size])


def _pdf_with(body: bytes) -> bytes:
    return raw_pdf.write_pdf([b"<< /Type /Catalog >>", raw_pdf.stream(body, b"/Filter /FlateDecode")])


@pytest.mark.parametrize("make", [_noise, _font_like])
def test_a_long_honest_stream_passes_with_a_bound_that_covers_it(make: object) -> None:
    data = make(60_000, 7)  # type: ignore[operator]
    body = zlib.compress(data, 9)
    assert len(body) * 1032 > LIMIT  # its length alone cannot clear it
    bound = _bounded_size(memoryview(body), LIMIT)
    assert len(data) <= bound <= LIMIT
    check_inflated_size(_pdf_with(body), stream_limit=LIMIT, total_limit=4 * LIMIT)


def test_a_bomb_at_the_end_of_a_long_stream_is_refused() -> None:
    compressor = zlib.compressobj(9)
    body = compressor.compress(_noise(40_000, 3))
    for _ in range(LIMIT // (1024 * 1024) + 1):
        body += compressor.compress(bytes(1024 * 1024))
    body += compressor.flush()
    with pytest.raises(DecompressionBomb):
        _bounded_size(memoryview(body), LIMIT)
    with pytest.raises(DecompressionBomb):
        check_inflated_size(_pdf_with(body), stream_limit=LIMIT, total_limit=4 * LIMIT)


def test_a_stream_cut_short_or_damaged_counts_what_it_gave() -> None:
    data = _font_like(60_000, 11)
    body = zlib.compress(data, 9)
    limit = 4 * len(data)
    cut = body[: len(body) // 2]
    given = len(zlib.decompressobj().decompress(cut))
    assert given <= _bounded_size(memoryview(cut), limit) <= limit
    damaged = body[:100] + bytes(len(body) - 100)
    assert _bounded_size(memoryview(damaged), limit) <= limit
    assert _bounded_size(memoryview(b"not zlib at all" * 2000), LIMIT) == 0
