"""Extractors that run away, injected into the extraction pool (module level, so its processes import them).

A bill's first bytes say how to misbehave; anything else is read by the real extract_document.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pypdfium2 as pdfium

from faturas.services.extract_document import Extraction, extract_document

#: Allocates until memory runs out: Python's MemoryError under the process limit.
HOG_MEMORY = b"%PDF-hog-memory"
#: Burns the CPU forever: only the time limit stops it.
SPIN = b"%PDF-spin"
#: Hands the rest of the bytes to PDFium directly, past the bomb check: PDFium aborts at the limit.
PDFIUM_UNCHECKED = b"%PDF-pdfium-unchecked"
#: Kills its process the first time it is read (the marker file after the prefix does not exist yet).
DIE_ONCE = b"%PDF-die-once:"
#: Kills its process every time: a parser crash that is the file's fault.
SEGFAULT = b"%PDF-segfault"
#: Sleeps 3 s, then reads the bill after the prefix: an innocent bill still in flight beside a runaway.
SLOW_THEN_READ = b"%PDF-slow-then-read"

#: Never allocate past this even without a limit (the tests always set one well below it).
HOG_CEILING = 8 * 1024 * 1024 * 1024


def read_or_run_away(pdf: bytes, password: str | None, max_pages: int) -> Extraction:
    if pdf.startswith(HOG_MEMORY):
        hoard, held = [], 0
        while held < HOG_CEILING:
            hoard.append(bytearray(64 * 1024 * 1024))
            held += 64 * 1024 * 1024
        raise AssertionError("allocated 8 GB without hitting the memory limit")
    if pdf.startswith(SPIN):
        while True:
            pass
    if pdf.startswith(PDFIUM_UNCHECKED):
        document = pdfium.PdfDocument(pdf[len(PDFIUM_UNCHECKED) :])
        document[0].get_textpage().get_text_range()
        raise AssertionError("PDFium read the bomb without running out of memory")
    if pdf.startswith(DIE_ONCE):
        marker = Path(pdf[len(DIE_ONCE) :].split(b"\n", 1)[0].decode())
        if not marker.exists():
            marker.write_text("died once")
            os._exit(1)
        pdf = pdf.split(b"\n", 1)[1]
    if pdf.startswith(SEGFAULT):
        os.kill(os.getpid(), 11)
    if pdf.startswith(SLOW_THEN_READ):
        time.sleep(3)
        pdf = pdf[len(SLOW_THEN_READ) :]
    return extract_document(pdf, password, max_pages)
