"""display_name(): what an uploaded file's name may be once it is ours, to store and to show.

The name a client sends is text it chose, never a path: files are stored under their sha256. It is
kept only to show people which file a job came from, so it is reduced to something safe to show
anywhere (database, JSON, terminal, Content-Disposition): the last path component, without control
or invisible formatting characters (NUL, newlines, right-to-left overrides), valid UTF-8, at most
``MAX_NAME_CHARS`` characters with its extension kept.
"""

from __future__ import annotations

import re
import unicodedata

#: The documents.original_name column holds 255 characters.
MAX_NAME_CHARS = 255

#: An extension worth keeping when a long name is cut: ``.pdf``, ``.jpeg``.
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,8}$")


def display_name(raw: str | None, position: int) -> str:
    """The name to store for the ``position``-th file (from 1) of an upload; a made-up one if nothing is left."""
    name = (raw or "").encode("utf-8", errors="replace").decode("utf-8")  # lone surrogates become "?"
    name = unicodedata.normalize("NFC", name)
    name = re.split(r"[/\\]", name)[-1]  # browsers send a base name; other clients may send a path
    name = "".join(char for char in name if unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co", "Cn"))
    name = " ".join(name.split())
    if name.strip(".") == "":
        return f"arquivo-{position}.pdf"
    if len(name) <= MAX_NAME_CHARS:
        return name
    extension = _EXTENSION.search(name)
    suffix = extension.group(0) if extension else ""
    return name[: MAX_NAME_CHARS - len(suffix) - 1] + "…" + suffix
