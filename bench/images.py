"""Real bill images through the image pipeline: accuracy per group, seconds per image, peak memory.

``python bench/images.py [--processes N] [--as-pdf]`` reads every image of ../shared/images (or
$FATURAS_SHARED_DIR/images), scores it against its truth file and prints, per group, labelled fields
correct, files fully correct and files wrongly accepted (a field wrong while not flagged for review,
which must be zero), then seconds per image (wall time per image and overall images per minute) and
the peak resident memory of one reading process (Tesseract's included).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))  # tests.images.scoring holds the scoring the image test uses

from tests.images.scoring import read_image_file, table  # noqa: E402

#: The accuracy targets of the issue, printed beside the figures.
TARGET_FIELDS = 0.8
TARGET_FILES = 0.5


def images_dir() -> Path:
    shared = Path(os.environ.get("FATURAS_SHARED_DIR", REPO_ROOT.parent / "shared"))
    return shared / "images"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--processes", type=int, default=2, help="images read at once (one Tesseract thread each)")
    parser.add_argument("--verbose", action="store_true", help="print every mismatch and warning")
    parser.add_argument(
        "--as-pdf", action="store_true", help='each image wrapped in a one-page PDF first, as a phone\'s "scan to PDF"'
    )
    args = parser.parse_args()
    truths = sorted(images_dir().rglob("*.truth.json"))
    if not truths:
        print(f"no images with truth files under {images_dir()}", file=sys.stderr)
        return 2
    os.environ["OMP_THREAD_LIMIT"] = "1"
    started = time.monotonic()
    with ProcessPoolExecutor(args.processes) as pool:
        outcomes = list(pool.map(partial(read_image_file, as_pdf=args.as_pdf), truths))
    wall = time.monotonic() - started
    print("\n".join(table(outcomes)))
    fields = sum(o.fields for o in outcomes)
    correct = sum(o.fields_correct for o in outcomes)
    files_ok = sum(o.fully_correct for o in outcomes)
    print(
        f"\nfields correct {correct / fields:.0%} (target {TARGET_FIELDS:.0%}), files fully correct "
        f"{files_ok}/{len(outcomes)} (target {TARGET_FILES:.0%}), wrongly accepted "
        f"{sum(o.wrongly_accepted for o in outcomes)} (must be 0)"
    )
    per_image = sorted(o.seconds for o in outcomes)
    print(
        f"seconds per image: median {per_image[len(per_image) // 2]:.1f}, max {per_image[-1]:.1f}; "
        f"wall {wall:.0f} s for {len(outcomes)} images with {args.processes} processes "
        f"({wall / len(outcomes):.1f} s per image); peak memory of a reading process "
        f"{max(o.peak_rss_mb for o in outcomes):.0f} MB"
    )
    if args.verbose:
        for outcome in outcomes:
            print(f"\n{outcome.file}: {outcome.error or ('review' if outcome.needs_review else 'accepted')}")
            for wrong in outcome.wrong:
                print(f"  {wrong}")
            print(f"  {outcome.detail}")
    return 1 if any(o.wrongly_accepted for o in outcomes) else 0


if __name__ == "__main__":
    raise SystemExit(main())
