from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    return Path(os.environ.get("FATURAS_SHARED_DIR", REPO_ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    corpus = shared_dir() / "corpus"
    if not corpus.is_dir():
        pytest.skip(f"real-bill corpus not found at {corpus} (set FATURAS_SHARED_DIR)")
    return corpus
