"""A tiny PDF writer for hostile inputs: objects in, a file with a correct cross-reference table out.

The PDF libraries refuse to write the malformed files these tests need (bombs, absurd nesting,
thousands of pages sharing one stream), so they are assembled byte by byte here.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable

#: A page's resources: one standard font, so text operators have something to draw with.
FONT_RESOURCES = b"<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"


def text_content(lines: Iterable[str]) -> bytes:
    """A content stream that prints each line (Latin-1) one below the other."""
    operators = [b"BT /F1 10 Tf 40 800 Td 12 TL"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        operators.append(b"(" + escaped.encode("latin-1") + b") '")
    operators.append(b"ET")
    return b"\n".join(operators)


def stream(body: bytes, dictionary: bytes = b"", length: int | None = None) -> bytes:
    size = len(body) if length is None else length
    return b"<< /Length " + str(size).encode() + b" " + dictionary + b" >>\nstream\n" + body + b"\nendstream"


def write_pdf(objects: list[bytes], root: int = 1, trailer_extra: bytes = b"") -> bytes:
    """Number ``objects`` from 1, write them with an exact xref table; ``root`` is the catalog's number."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R %s >>\n" % (len(objects) + 1, root, trailer_extra)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def one_page_pdf(content: bytes, content_dictionary: bytes = b"", page_extra: bytes = b"") -> bytes:
    """Catalog, pages, one A4 page drawing ``content`` (already encoded as ``content_dictionary`` says)."""
    return write_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources "
            + FONT_RESOURCES
            + b" "
            + page_extra
            + b" >>",
            stream(content, content_dictionary),
        ]
    )


def many_pages_pdf(pages: int) -> bytes:
    """``pages`` pages that all draw the same short content stream: thousands of pages in a small file."""
    first_page = 4
    kids = b" ".join(b"%d 0 R" % (first_page + index) for index in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        stream(text_content(["Pagina de enchimento, sem conta de energia."])),
    ]
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R /Resources " + FONT_RESOURCES + b" >>"
    objects += [page] * pages
    return write_pdf(objects)


def zeros_deflated(inflated_bytes: int, chunk: int = 1 << 24) -> bytes:
    """A zlib stream that inflates to ``inflated_bytes`` zero bytes, built without ever holding them.

    One chunk is compressed once with a full flush (no back-references across it), so its compressed
    bytes can be repeated; the Adler-32 of n zero bytes is (n mod 65521) << 16 | 1.
    """
    if inflated_bytes % chunk:
        raise ValueError("inflated_bytes must be a multiple of chunk")
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw deflate: header and checksum written here
    block = compressor.compress(bytes(chunk)) + compressor.flush(zlib.Z_FULL_FLUSH)
    final = zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)  # an empty last block
    adler = ((inflated_bytes % 65521) << 16) | 1
    return b"\x78\xda" + block * (inflated_bytes // chunk) + final + adler.to_bytes(4, "big")


def deflate_bomb_pdf(inflated_bytes: int) -> bytes:
    """One page whose content stream inflates to ``inflated_bytes`` (twice deflated: a small file)."""
    once = zeros_deflated(inflated_bytes)
    return one_page_pdf(zlib.compress(once, 9), b"/Filter [/FlateDecode /FlateDecode]")


def nested_arrays_pdf(depth: int) -> bytes:
    """A page carrying an array nested ``depth`` levels deep in its dictionary."""
    nested = b"[" * depth + b"1" + b"]" * depth
    content = text_content(["Documento com objetos aninhados.", "Uma ata qualquer, sem valores de energia."])
    return one_page_pdf(content, page_extra=b"/Faturas " + nested)


def deep_page_tree_pdf(depth: int) -> bytes:
    """A page tree ``depth`` levels deep, one intermediate node per level, the single page at the bottom."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(depth):
        number = 2 + level
        parent = b"/Parent %d 0 R " % (number - 1) if level else b""
        objects.append(b"<< /Type /Pages " + parent + b"/Kids [%d 0 R] /Count 1 >>" % (number + 1))
    page_number = 2 + depth
    objects.append(
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R /Resources "
        % (page_number - 1, page_number + 1)
        + FONT_RESOURCES
        + b" >>"
    )
    objects.append(stream(text_content(["Pagina no fundo de uma arvore profunda."])))
    return write_pdf(objects)
