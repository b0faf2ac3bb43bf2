"""write_bills(): N distinct synthetic bills in a folder, the same files for the same seed."""

from __future__ import annotations

import random
from pathlib import Path

from faturas.synthetic.cemig_danf3e import render_cemig_danf3e
from faturas.synthetic.random_values import random_bill


def write_bills(folder: Path, count: int, seed: int = 0) -> list[Path]:
    """Render ``count`` bills into ``folder`` (created if needed) and return their paths in order.

    Bills get distinct installation numbers and months, so each is a distinct invoice when stored.
    """
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths: list[Path] = []
    seen: set[tuple[str, str]] = set()
    while len(paths) < count:
        bill = random_bill(rng)
        identity = (bill.installation_number, str(bill.reference_month))
        if identity in seen:
            continue
        seen.add(identity)
        path = folder / f"cemig-{bill.installation_number}-{bill.reference_month}.pdf"
        path.write_bytes(render_cemig_danf3e(bill))
        paths.append(path)
    return paths
