"""Passwords (argon2id via argon2-cffi) and API token secrets (random, stored as sha256)."""

from __future__ import annotations

import hashlib
import re
import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from faturas.errors import InvalidAccount

#: NIST SP 800-63B asks for at least 8; people typing a bill system's password can manage 10.
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024

#: Tokens start with this, so secret scanners and people recognise a leaked one.
TOKEN_PREFIX = "fat_"

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def new_hasher() -> PasswordHasher:
    """argon2-cffi's defaults: RFC 9106's second recommendation (argon2id, 64 MiB, 3 passes, 4 lanes)."""
    return PasswordHasher()


_hasher = new_hasher()


def hash_password(password: str) -> str:
    check_password(password)
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> tuple[bool, bool]:
    """(matches, needs_rehash): a hash made with older parameters is replaced at the next login."""
    try:
        _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False, False
    return True, _hasher.check_needs_rehash(password_hash)


def waste_a_verification(password: str) -> None:
    """Spend what a real verification costs, so an unknown e-mail answers as slowly as a wrong password."""
    verify_password(_dummy_hash(), password)


@cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidAccount(f"a senha precisa ter pelo menos {MIN_PASSWORD_LENGTH} caracteres")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidAccount(f"a senha pode ter no máximo {MAX_PASSWORD_LENGTH} caracteres")


def normalize_email(email: str) -> str:
    normalized = email.strip().lower()
    if len(normalized) > 254 or not _EMAIL.match(normalized):
        raise InvalidAccount(f"e-mail inválido: {email!r}")
    return normalized


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
