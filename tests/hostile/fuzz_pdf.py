"""Coverage-guided fuzzing of the PDF path with atheris: mutated PDFs into extract_invoice.

Run as ``python -m tests.hostile.fuzz_pdf CORPUS_DIR -atheris_runs=N -max_total_time=S`` (test_fuzz_pdf
does, with a bounded budget). Only a typed FaturasError may come out; anything else (or a crash of
the process) is a finding, and libFuzzer writes the input that caused it to a ``crash-*`` file.
"""

from __future__ import annotations

import contextlib
import sys

import atheris

with atheris.instrument_imports(include=["faturas"]):
    from faturas.errors import FaturasError
    from faturas.extraction.extract import extract_invoice
    from faturas.extraction.image import detect_image_format


def read_one(data: bytes) -> None:
    if detect_image_format(data) is not None:
        return  # images go to OCR: slow, and fuzzed on their own terms elsewhere
    with contextlib.suppress(FaturasError):  # a typed refusal is a fine answer; anything else is a finding
        extract_invoice(data, max_pages=20)


def main() -> None:
    atheris.Setup(sys.argv, read_one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
