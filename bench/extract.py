"""Extraction speed and memory over the real-bill corpus (``make bench``).

Times, side by side in one process: the full extraction (text + template + validation), PDFium's raw
text extraction alone, and pdfplumber's ``extract_text``. Targets: full / raw PDFium <= 1.5x,
pdfplumber / full >= 40x, peak memory < 150 MB while parsing the whole corpus.
"""

from __future__ import annotations

import gc
import io
import os
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium

from faturas.errors import FaturasError
from faturas.extraction.extract import extract_invoice

REPO_ROOT = Path(__file__).resolve().parents[1]

#: Timed passes of the fast extractors; the median pass is reported.
PASSES = 7

#: pdfplumber is slow: it gets passes only while the whole bench stays within about two minutes.
PDFPLUMBER_BUDGET_SECONDS = 60.0

Bills = list[tuple[Path, bytes]]


def corpus_dir() -> Path | None:
    shared = Path(os.environ.get("FATURAS_SHARED_DIR", REPO_ROOT.parent / "shared"))
    corpus = shared / "corpus"
    return corpus if corpus.is_dir() else None


def raw_pdfium_text(data: bytes) -> str:
    document = pdfium.PdfDocument(data)
    try:
        pages = []
        for page in document:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return "\f".join(pages)
    finally:
        document.close()


def pdfplumber_text(data: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\f".join(page.extract_text() or "" for page in pdf.pages)


def full_extraction(data: bytes) -> object:
    return extract_invoice(data)


def one_pass(bills: Bills, function: Callable[[bytes], object]) -> float:
    """Seconds for one pass over every bill; a bill that fails still counts (its time is spent)."""
    start = time.perf_counter()
    for _, data in bills:
        try:
            function(data)
        except Exception:  # failures are listed once, by find_failures
            continue
    return time.perf_counter() - start


def find_failures(bills: Bills) -> list[tuple[Path, str]]:
    failures = []
    for path, data in bills:
        try:
            extract_invoice(data)
        except FaturasError as error:
            failures.append((path, f"{error.code}: {error.message}"))
        except Exception as error:
            failures.append((path, f"unexpected {type(error).__name__}: {error}"))
    return failures


def peak_traced_mb(bills: Bills) -> float:
    """Peak Python-heap memory (tracemalloc) over one full-extraction pass; PDFium's own heap is not seen."""
    gc.collect()
    tracemalloc.start()
    one_pass(bills, full_extraction)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def max_rss_mb() -> float:
    scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main() -> int:
    corpus = corpus_dir()
    if corpus is None:
        print(
            "Corpus de faturas não encontrado: esperado em ../shared/corpus ou $FATURAS_SHARED_DIR/corpus.",
            file=sys.stderr,
        )
        return 2
    bills: Bills = [(path, path.read_bytes()) for path in sorted(corpus.rglob("*.pdf"))]
    total_mb = sum(len(data) for _, data in bills) / 2**20
    print(f"corpus: {corpus} ({len(bills)} PDFs, {total_mb:.1f} MB)")

    failures = find_failures(bills)
    one_pass(bills, raw_pdfium_text)  # warm-up: imports, caches
    raw_times: list[float] = []
    full_times: list[float] = []
    for _ in range(PASSES):  # interleaved, so drift in machine load hits both alike
        raw_times.append(one_pass(bills, raw_pdfium_text))
        full_times.append(one_pass(bills, full_extraction))
    rss_after_full = max_rss_mb()
    traced_peak = peak_traced_mb(bills)

    plumber_times: list[float] = []
    budget_start = time.perf_counter()
    while not plumber_times or (
        len(plumber_times) < 3 and time.perf_counter() - budget_start + plumber_times[-1] < PDFPLUMBER_BUDGET_SECONDS
    ):
        plumber_times.append(one_pass(bills, pdfplumber_text))

    raw, full, plumber = (statistics.median(times) for times in (raw_times, full_times, plumber_times))
    count = len(bills)
    print()
    print(f"{'extractor':<36}{'passes':>7}{'s/pass':>10}{'bills/s':>10}{'ms/bill':>10}")
    for label, seconds, passes in (
        ("raw PDFium text (pypdfium2)", raw, len(raw_times)),
        ("full extraction (faturas)", full, len(full_times)),
        ("pdfplumber extract_text", plumber, len(plumber_times)),
    ):
        print(f"{label:<36}{passes:>7}{seconds:>10.3f}{count / seconds:>10.1f}{seconds / count * 1000:>10.2f}")
    print()
    full_over_raw = full / raw
    plumber_over_full = plumber / full
    print(f"full / raw PDFium:      {full_over_raw:6.2f}x   (target <= 1.5x)  {verdict(full_over_raw <= 1.5)}")
    print(f"pdfplumber / full:      {plumber_over_full:6.1f}x   (target >= 40x)   {verdict(plumber_over_full >= 40)}")
    print(
        f"peak RSS (full passes): {rss_after_full:6.1f} MB (target < 150 MB) {verdict(rss_after_full < 150)}; "
        f"tracemalloc peak of one full pass: {traced_peak:.1f} MB"
    )
    print(f"peak RSS after pdfplumber: {max_rss_mb():.1f} MB")
    print()
    print(f"bills read: {count - len(failures)}/{count}; refused or failed: {len(failures)}")
    for path, reason in failures:
        print(f"  {path.relative_to(corpus)}: {reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
