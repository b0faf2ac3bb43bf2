"""pdf_to_text(): the only module that touches the PDF library."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pypdfium2 as pdfium

from faturas.errors import DamagedPdf, EmptyFile, EncryptedPdf, NotAPdf, NoTextLayer, TooManyPages
from faturas.extraction.pdf_streams import check_inflated_size

#: Bills are one to a few pages; collective bills run to dozens. More than this is not a bill.
DEFAULT_MAX_PAGES = 200

#: A page with fewer printable characters than this has no usable text layer (a scan or a photo).
MIN_TEXT_CHARS = 40

#: Where the ``%PDF-`` header may stand: readers accept a little garbage before it.
HEADER_WINDOW = 1024

_SIGNATURES = (
    (b"\x89PNG", "imagem PNG"),
    (b"\xff\xd8\xff", "imagem JPEG"),
    (b"GIF8", "imagem GIF"),
    (b"PK\x03\x04", "arquivo ZIP ou Office"),
    (b"RIFF", "imagem WebP ou outro arquivo RIFF"),
    (b"II*\x00", "imagem TIFF"),
    (b"MM\x00*", "imagem TIFF"),
    (b"\xd0\xcf\x11\xe0", "documento Office antigo"),
)


@dataclass(frozen=True)
class PdfText:
    """The text layer of a PDF, one string per page, in the order PDFium reads it."""

    pages: tuple[str, ...]
    #: Some pages were read by OCR: templates may then accept what OCR does to a layout (rows that
    #: run across neighbouring boxes), never what a text layer could print.
    from_ocr: bool = False

    @cached_property
    def text(self) -> str:
        """All pages, separated by form feeds; built once, as templates read it many times."""
        return "\f".join(self.pages)

    @property
    def page_count(self) -> int:
        return len(self.pages)


def describe_content(data: bytes) -> str:
    """A short pt-BR description of what non-PDF bytes look like, for error messages."""
    for signature, name in _SIGNATURES:
        if data.startswith(signature):
            return name
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return "página HTML"
    try:
        data[:4096].decode("utf-8")
    except UnicodeDecodeError:
        return "dados binários"
    return "texto"


def looks_like_pdf(data: bytes) -> bool:
    """A PDF header near the start, and not another format's signature at the very start."""
    # A container (ZIP, Office) may hold a PDF unchanged within its first bytes: it is still not a PDF.
    return b"%PDF-" in data[:HEADER_WINDOW] and not data.startswith(tuple(sign for sign, _ in _SIGNATURES))


def check_is_pdf(data: bytes) -> None:
    if not data:
        raise EmptyFile()
    if not looks_like_pdf(data):
        raise NotAPdf(describe_content(data))


def _open(data: bytes, password: str | None) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise EncryptedPdf(password_given=password is not None) from exc
        raise DamagedPdf(str(exc)) from exc


def count_pages(data: bytes, password: str | None = None) -> int:
    check_is_pdf(data)
    document = _open(data, password)
    try:
        return len(document)
    finally:
        document.close()


def _page_text(document: pdfium.PdfDocument, index: int) -> str:
    page = document[index]
    try:
        textpage = page.get_textpage()
        try:
            text: str = textpage.get_text_range()
        finally:
            textpage.close()
    finally:
        page.close()
    return text.replace("\r\n", "\n").replace("\r", "\n")


def has_text_layer(page: str) -> bool:
    # A text page has its printable characters within its first lines: the whole page is split only
    # when they are not there (a scan, a blank page).
    head = page[: 4 * MIN_TEXT_CHARS]
    return len("".join(head.split())) >= MIN_TEXT_CHARS or (
        len(page) > len(head) and len("".join(page.split())) >= MIN_TEXT_CHARS
    )


def pdf_to_text(data: bytes, password: str | None = None, max_pages: int = DEFAULT_MAX_PAGES) -> PdfText:
    """Read the text layer of every page, refusing what is not a readable PDF with a typed error."""
    document = read_text_layer(data, password, max_pages)
    if not any(has_text_layer(page) for page in document.pages):
        raise NoTextLayer(document.page_count)
    return document


def read_text_layer(data: bytes, password: str | None = None, max_pages: int = DEFAULT_MAX_PAGES) -> PdfText:
    """Like pdf_to_text, but a document of scanned pages is returned (with blank pages) for OCR."""
    check_is_pdf(data)
    check_inflated_size(data)
    document = _open(data, password)
    try:
        page_count = len(document)
        if page_count == 0:
            raise DamagedPdf("nenhuma página")
        if page_count > max_pages:
            raise TooManyPages(page_count, max_pages)
        try:
            pages = tuple(_page_text(document, index) for index in range(page_count))
        except pdfium.PdfiumError as exc:
            raise DamagedPdf(str(exc)) from exc
    finally:
        document.close()
    return PdfText(pages)
