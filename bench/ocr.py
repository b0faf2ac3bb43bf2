"""OCR of scanned bills over the real-bill corpus: accuracy and time per page (``python bench/ocr.py``).

Each corpus bill is rasterised into an image-only PDF (300 dpi, 150 dpi, and 150 dpi tilted with scanner
noise), read through OCR and scored against its truth file. Per distributor and variant it prints files
fully correct (every scored field right), clean (fully correct and not flagged for review), fields
correct, files flagged for review, files refused, and files wrongly accepted (a field wrong while the
invoice is not flagged), which must be zero. Runs one bill per core.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))  # tests.ocr.scoring holds the scoring the scanned-corpus test uses

from tests.ocr.scoring import VARIANTS, Outcome, Variant, read_scan  # noqa: E402

from faturas.errors import BillRejected  # noqa: E402
from faturas.extraction.extract import extract_invoice  # noqa: E402
from faturas.extraction.ocr import OcrOptions  # noqa: E402
from faturas.extraction.ocr.simulate import simulate_scan  # noqa: E402

PORTAL_SCREENSHOT = Path("cemig") / "Pai_CEMIG_17112022.pdf"


def corpus_dir() -> Path:
    shared = Path(os.environ.get("FATURAS_SHARED_DIR", REPO_ROOT.parent / "shared"))
    return shared / "corpus"


def _run(job: tuple[Path, Variant]) -> Outcome:
    return read_scan(*job)


def _portal(job: tuple[Path, Variant]) -> str:
    path, variant = job
    try:
        invoice = extract_invoice(simulate_scan(path.read_bytes(), variant.dpi, variant.rotation, variant.noise),
                                  ocr=OcrOptions())  # fmt: skip
    except BillRejected as error:
        return f"{variant.name}: refused ({error.code})"
    return f"{variant.name}: ACCEPTED as {invoice.distributor} (must be refused as not a bill)"


def print_table(outcomes: list[Outcome]) -> None:
    groups: dict[tuple[str, str], list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        groups[(outcome.distributor, outcome.variant)].append(outcome)
        groups[("ALL", outcome.variant)].append(outcome)
    header = (f"{'distributor':<10} {'variant':<21} {'files':>5} {'fully correct':>14} {'clean':>5} "
              f"{'fields correct':>16} {'review':>6} {'refused':>7} {'wrongly acc.':>12} {'unflagged':>9} "
              f"{'s/page':>7}")  # fmt: skip
    print(header)
    print("-" * len(header))
    order = [variant.name for variant in VARIANTS]
    for (distributor, variant), group in sorted(
        groups.items(), key=lambda e: (e[0][0] == "ALL", e[0][0], order.index(e[0][1]))
    ):
        files = len(group)
        correct = sum(outcome.fully_correct for outcome in group)
        clean = sum(outcome.fully_correct and not outcome.needs_review for outcome in group)
        fields = sum(outcome.fields for outcome in group)
        fields_ok = sum(outcome.fields_correct for outcome in group)
        review = sum(outcome.needs_review for outcome in group)
        refused = sum(outcome.error is not None for outcome in group)
        wrong = sum(outcome.wrongly_accepted for outcome in group)
        unflagged = sum(bool(outcome.unflagged) for outcome in group)
        per_page = sum(outcome.seconds for outcome in group) / max(1, sum(outcome.pages for outcome in group))
        print(f"{distributor:<10} {variant:<21} {files:>5} {correct:>5} ({correct / files:>4.0%}) {clean:>5} "
              f"{fields_ok:>6}/{fields:<4} ({fields_ok / max(1, fields):>3.0%}) {review:>6} {refused:>7} "
              f"{wrong:>12} {unflagged:>9} {per_page:>7.1f}")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--distributor", action="append", help="only these corpus folders (repeatable)")
    parser.add_argument("--variant", action="append", choices=[v.name for v in VARIANTS], help="repeatable")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--verbose", action="store_true", help="print every file's mismatches and errors")
    args = parser.parse_args()
    corpus = corpus_dir()
    if not corpus.is_dir():
        print(f"corpus not found at {corpus} (set FATURAS_SHARED_DIR)", file=sys.stderr)
        return 2
    truths = sorted(corpus.rglob("*.truth.json"))
    if args.distributor:
        truths = [path for path in truths if path.parent.name in args.distributor]
    variants = [v for v in VARIANTS if not args.variant or v.name in args.variant]
    jobs = [(truth, variant) for variant in variants for truth in truths]
    with ProcessPoolExecutor(args.jobs) as pool:
        outcomes = list(pool.map(_run, jobs))
        portal = list(pool.map(_portal, [(corpus / PORTAL_SCREENSHOT, variant) for variant in variants]))
    if args.verbose:
        for outcome in outcomes:
            status = outcome.error or (
                "correct" if not outcome.wrong else "review" if outcome.needs_review else "WRONG"
            )
            print(f"[{outcome.variant}] {outcome.file}: {status} {outcome.seconds:.1f}s {outcome.detail}")
            for mismatch in outcome.wrong:
                flag = "UNFLAGGED " if mismatch in outcome.unflagged else ""
                print(f"    {flag}{mismatch}")
    print_table(outcomes)
    print("portal screenshot:", "; ".join(portal))
    wrongly = [outcome for outcome in outcomes if outcome.wrongly_accepted]
    for outcome in wrongly:
        print(f"WRONGLY ACCEPTED [{outcome.variant}] {outcome.file}: {'; '.join(outcome.wrong)}")
    return 1 if wrongly or any("ACCEPTED" in line for line in portal) else 0


if __name__ == "__main__":
    sys.exit(main())
