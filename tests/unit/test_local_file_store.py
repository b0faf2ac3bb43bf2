"""The local file store keeps every key inside its root folder, however the root was given."""

from __future__ import annotations

from pathlib import Path

import pytest

from faturas.errors import StoredFileMissing
from faturas.storage.local import LocalFileStore


def test_round_trip_through_a_relative_root_reached_by_a_symlink(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    monkeypatch.chdir(tmp_path)
    store = LocalFileStore(Path("link") / "files")

    store.put("ab/cd.pdf", b"%PDF-1.4 synthetic")

    assert store.get("ab/cd.pdf") == b"%PDF-1.4 synthetic"
    assert store.exists("ab/cd.pdf")
    assert (real / "files" / "ab" / "cd.pdf").read_bytes() == b"%PDF-1.4 synthetic"
    assert store.keys() == ["ab/cd.pdf"]


@pytest.mark.parametrize("key", ["../outside.pdf", "ab/../../outside.pdf", "/etc/passwd", "."])
def test_keys_that_escape_the_root_are_refused(tmp_path: Path, key: str) -> None:
    store = LocalFileStore(tmp_path / "files")

    with pytest.raises(ValueError, match="escapes the root folder"):
        store.put(key, b"x")
    with pytest.raises(ValueError, match="escapes the root folder"):
        store.get(key)
    assert not (tmp_path / "outside.pdf").exists()


def test_a_symlink_inside_the_root_cannot_lead_outside(tmp_path: Path) -> None:
    root = tmp_path / "files"
    root.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "escape").symlink_to(outside)
    store = LocalFileStore(root)

    with pytest.raises(ValueError, match="escapes the root folder"):
        store.put("escape/doc.pdf", b"x")
    assert list(outside.iterdir()) == []


def test_puts_into_a_known_folder_after_it_was_removed_or_holds_a_link(tmp_path: Path) -> None:
    root = tmp_path / "files"
    outside = tmp_path / "outside"
    outside.mkdir()
    store = LocalFileStore(root)
    store.put("ab/one.pdf", b"one")
    store.put("ab/two.pdf", b"two")  # the folder is known now: written without resolving it again
    assert store.get("ab/two.pdf") == b"two"
    assert sorted(path.name for path in (root / "ab").iterdir()) == ["one.pdf", "two.pdf"]  # no temporary left

    (root / "ab" / "one.pdf").unlink()
    (root / "ab" / "two.pdf").unlink()
    (root / "ab").rmdir()
    store.put("ab/three.pdf", b"three")  # made again
    assert store.get("ab/three.pdf") == b"three"

    (root / "ab" / "escape.pdf").symlink_to(outside / "target.pdf")
    with pytest.raises(ValueError, match="escapes the root folder"):
        store.put("ab/escape.pdf", b"x")
    assert list(outside.iterdir()) == []
    for key in ("ab/../../outside/x.pdf", "ab/./../../outside/x.pdf"):
        with pytest.raises(ValueError, match="escapes the root folder"):
            store.put(key, b"x")


def test_a_file_of_a_known_folder_is_read_without_resolving_its_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "files"
    (root / "ab").mkdir(parents=True)
    (root / "ab" / "one.pdf").write_bytes(b"one")
    (root / "ab" / "two.pdf").write_bytes(b"two")
    store = LocalFileStore(root)  # another process put them: the folder is not known yet
    assert store.get("ab/one.pdf") == b"one"  # resolved, and its folder noted

    resolved: list[Path] = []
    resolve = Path.resolve
    monkeypatch.setattr(Path, "resolve", lambda path, *args: resolved.append(path) or resolve(path, *args))
    assert store.get("ab/two.pdf") == b"two"
    assert resolved == []
    with pytest.raises(StoredFileMissing):
        store.get("ab/three.pdf")


def test_a_link_in_a_known_folder_is_resolved_as_a_whole(tmp_path: Path) -> None:
    root = tmp_path / "files"
    (root / "ab").mkdir(parents=True)
    (tmp_path / "outside.pdf").write_bytes(b"secret")
    (root / "ab" / "one.pdf").write_bytes(b"one")
    (root / "ab" / "same.pdf").symlink_to(root / "ab" / "one.pdf")
    (root / "ab" / "escape.pdf").symlink_to(tmp_path / "outside.pdf")
    store = LocalFileStore(root)
    store.put("ab/two.pdf", b"two")  # the folder is known

    assert store.get("ab/same.pdf") == b"one"  # a link inside the root is followed, as before
    with pytest.raises(ValueError, match="escapes the root folder"):
        store.get("ab/escape.pdf")
