"""pdf_to_text(): the text layer of every page, read through PDFium's C API (pypdfium2.raw)."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pypdfium2.raw as pdfium_c

from faturas.errors import DamagedPdf, EmptyFile, EncryptedPdf, NotAPdf, NoTextLayer, TooManyPages
from faturas.extraction.pdf_streams import check_inflated_size

#: Bills are one to a few pages; collective bills run to dozens. More than this is not a bill.
DEFAULT_MAX_PAGES = 200

#: A page with fewer printable characters than this has no usable text layer (a scan or a photo).
MIN_TEXT_CHARS = 40

#: Where the ``%PDF-`` header may stand: readers accept a little garbage before it.
HEADER_WINDOW = 1024

#: PDFium's load errors (FPDF_GetLastError) as a reader of the error message would name them.
_PDFIUM_ERRORS = {
    1: "erro desconhecido",
    2: "arquivo inacessível",
    3: "formato de dados inválido",
    4: "senha incorreta",
    5: "esquema de segurança não suportado",
    6: "página não encontrada ou conteúdo inválido",
}

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


def _open(data: bytes, password: str | None) -> Any:
    """A raw PDFium document handle (pypdfium2's C bindings: its helper objects cost more than the reading)."""
    secret = None if password is None else password.encode("utf-8") + b"\x00"
    handle = pdfium_c.FPDF_LoadMemDocument64(data, len(data), secret)
    if not handle:
        error = pdfium_c.FPDF_GetLastError()
        if error == pdfium_c.FPDF_ERR_PASSWORD:
            raise EncryptedPdf(password_given=password is not None)
        raise DamagedPdf(f"PDFium: {_PDFIUM_ERRORS.get(error, 'erro desconhecido')}")
    return handle


def count_pages(data: bytes, password: str | None = None) -> int:
    check_is_pdf(data)
    handle = _open(data, password)
    try:
        return int(pdfium_c.FPDF_GetPageCount(handle))
    finally:
        pdfium_c.FPDF_CloseDocument(handle)


def _page_text(handle: Any, index: int) -> str:
    page = pdfium_c.FPDF_LoadPage(handle, index)
    if not page:
        raise DamagedPdf(f"a página {index + 1} não pôde ser lida")
    try:
        textpage = pdfium_c.FPDFText_LoadPage(page)
        if not textpage:
            raise DamagedPdf(f"o texto da página {index + 1} não pôde ser lido")
        try:
            count = pdfium_c.FPDFText_CountChars(textpage)
            if count <= 0:
                return ""
            buffer = (ctypes.c_ushort * (count + 1))()
            written = pdfium_c.FPDFText_GetText(textpage, 0, count, buffer)
        finally:
            pdfium_c.FPDFText_ClosePage(textpage)
    finally:
        pdfium_c.FPDF_ClosePage(page)
    # ``written`` counts the closing NUL; PDFium writes UTF-16LE, sometimes with lone surrogates.
    text = ctypes.string_at(buffer, max(0, written - 1) * 2).decode("utf-16-le", errors="ignore")
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
    handle = _open(data, password)
    try:
        page_count = pdfium_c.FPDF_GetPageCount(handle)
        if page_count <= 0:
            raise DamagedPdf("nenhuma página")
        if page_count > max_pages:
            raise TooManyPages(page_count, max_pages)
        pages = tuple(_page_text(handle, index) for index in range(page_count))
    finally:
        pdfium_c.FPDF_CloseDocument(handle)
    return PdfText(pages)
