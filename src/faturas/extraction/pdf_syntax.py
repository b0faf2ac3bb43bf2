"""The few pieces of PDF syntax the byte-level checks read: stream bounds, lengths, zlib headers."""

from __future__ import annotations

import re

#: A direct /Length (an indirect one, ``/Length 12 0 R``, is not followed: the data ends at ``endstream``).
DIRECT_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\d)(?!\s+\d+\s+R)")
#: How far back from ``stream`` its dictionary may start.
DICTIONARY_WINDOW = 4096


def endstream_at(data: bytes, end: int) -> bool:
    """Whether ``endstream`` follows ``end`` (after the optional end-of-line): a /Length that tells the truth."""
    return data[end : end + 12].lstrip(b"\r\n ").startswith(b"endstream")


def data_start(data: bytes, keyword: int) -> int | None:
    """Where a stream's data starts, if ``stream`` at ``keyword`` opens one (not the end of ``endstream``)."""
    if data[max(0, keyword - 3) : keyword] == b"end":
        return None
    after = keyword + 6
    if data[after : after + 2] == b"\r\n":
        return after + 2
    if data[after : after + 1] in (b"\n", b"\r"):
        return after + 1
    return None


def looks_like_zlib(head: bytes | memoryview) -> bool:
    """A zlib header: deflate method, a window of at most 32 KB, and the check bits right."""
    return len(head) >= 2 and head[0] & 0x0F == 8 and head[0] >> 4 <= 7 and (head[0] * 256 + head[1]) % 31 == 0
