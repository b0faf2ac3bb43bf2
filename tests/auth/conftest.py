"""An app with login on, an admin and an operator, each with an API token; small helpers to act as them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from faturas.api.app import create_app
from faturas.api.sessions import CSRF_COOKIE
from faturas.config import Settings
from faturas.db.models_auth import Role
from faturas.db.unit_of_work import UnitOfWorkFactory
from faturas.services import passwords
from faturas.services.api_tokens import create_token
from faturas.services.audit import CLI
from faturas.services.auth import create_user
from tests.ingest_support import database_url, fake_extract

__all__ = ["database_url"]

ADMIN_EMAIL, ADMIN_PASSWORD = "admin@example.com", "senha-do-admin-123"
OPERATOR_EMAIL, OPERATOR_PASSWORD = "operador@example.com", "senha-do-operador-1"


@dataclass
class Site:
    """One running app. ``client`` carries cookies (a browser); tokens act as programs."""

    client: TestClient
    uow_factory: UnitOfWorkFactory
    admin_id: int
    operator_id: int
    admin_token: str
    operator_token: str
    extra: dict[str, Any] = field(default_factory=dict)

    def bearer(self, token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    def csrf(self) -> str:
        if CSRF_COOKIE not in self.client.cookies:
            self.client.get("/login")
        return str(self.client.cookies[CSRF_COOKIE])

    def login(self, email: str, password: str, next_path: str = "/api/me") -> httpx.Response:
        form = {"email": email, "password": password, "csrf_token": self.csrf(), "next": next_path}
        return self.client.post("/login", data=form, follow_redirects=False)

    def login_as_admin(self) -> None:
        assert self.login(ADMIN_EMAIL, ADMIN_PASSWORD).status_code == 303

    def login_as_operator(self) -> None:
        assert self.login(OPERATOR_EMAIL, OPERATOR_PASSWORD).status_code == 303


SiteFactory = Callable[..., Site]


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashing() -> Iterator[None]:
    """argon2 at production cost takes ~0.1-0.5 s per hash; these tests hash and verify dozens of times.
    tests/auth/test_passwords.py checks the production parameters themselves."""
    production = passwords._hasher
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    passwords._dummy_hash.cache_clear()
    yield
    passwords._hasher = production
    passwords._dummy_hash.cache_clear()


def _start_site(directory: Path, *, run_worker: bool, base_url: str, **overrides: Any) -> Site:
    values: dict[str, Any] = {
        "data_dir": directory / "data",
        "database_url": f"sqlite:///{directory / 'faturas.db'}",
        "auth": "on",
        "poll_interval_seconds": 0.05,
        "max_upload_bytes": 4096,
    }
    values.update(overrides)
    app = create_app(Settings(**values), run_worker=run_worker, extractor=fake_extract)
    client = TestClient(app, base_url=base_url, raise_server_exceptions=False)
    client.__enter__()
    uow_factory: UnitOfWorkFactory = app.state.context.uow_factory
    admin = create_user(uow_factory, ADMIN_EMAIL, ADMIN_PASSWORD, Role.ADMIN, CLI)
    operator = create_user(uow_factory, OPERATOR_EMAIL, OPERATOR_PASSWORD, Role.OPERATOR, CLI)
    _, admin_token = create_token(uow_factory, admin.id, "admin script", CLI)
    _, operator_token = create_token(uow_factory, operator.id, "operator script", CLI)
    app.state.access.forget_users_exist()
    return Site(client, uow_factory, admin.id, operator.id, admin_token, operator_token)


@pytest.fixture
def make_site(tmp_path: Path) -> Iterator[SiteFactory]:
    """``make_site(**settings)``: login on (FATURAS_AUTH=on) unless overridden; SQLite unless a URL is given."""
    sites: list[Site] = []

    def factory(*, run_worker: bool = False, base_url: str = "http://testserver", **overrides: Any) -> Site:
        sites.append(_start_site(tmp_path / str(len(sites)), run_worker=run_worker, base_url=base_url, **overrides))
        return sites[-1]

    yield factory
    for site in sites:
        site.client.__exit__(None, None, None)


@pytest.fixture
def site(make_site: SiteFactory) -> Site:
    return make_site()


@pytest.fixture(scope="module")
def shared_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """One site for a module's tests that change nothing (cookies are cleared between them)."""
    site = _start_site(tmp_path_factory.mktemp("site"), run_worker=False, base_url="http://testserver")
    yield site
    site.client.__exit__(None, None, None)
