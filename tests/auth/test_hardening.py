"""Security headers, answers without stack traces, upload rate limits, file names that never become paths,
and when login is required (FATURAS_AUTH)."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from faturas.api.app import create_app
from faturas.api.rate_limit import TokenBucket, retry_after
from faturas.config import Settings
from faturas.db.models import Document
from faturas.services.accept_upload import storage_key
from faturas.services.access_mode import is_loopback, login_required
from tests.auth.conftest import Site, SiteFactory
from tests.ingest_support import fake_extract, fake_pdf


@pytest.mark.parametrize("path", ["/health", "/login", "/api/jobs"])
def test_security_headers_are_on_every_answer(site: Site, path: str) -> None:
    answer = site.client.get(path)
    csp = answer.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self';" in csp and "frame-ancestors 'self'" in csp
    assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";", 1)[0]
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "SAMEORIGIN"
    assert answer.headers["referrer-policy"] == "same-origin"
    assert "strict-transport-security" not in answer.headers  # plain http
    assert answer.headers["x-request-id"]


def test_api_answers_are_not_cached(site: Site) -> None:
    assert site.client.get("/api/jobs", headers=site.bearer(site.operator_token)).headers["cache-control"] == "no-store"


def _failing_app(tmp_path: Path) -> TestClient:
    settings = Settings(data_dir=tmp_path / "data", database_url=f"sqlite:///{tmp_path / 'f.db'}", auth="off")
    app = create_app(settings, run_worker=False, extractor=fake_extract)

    @app.get("/api/boom")
    def boom() -> None:
        raise RuntimeError("segredo interno /srv/faturas/app.py linha 42")

    return TestClient(app, raise_server_exceptions=False)


def test_an_unexpected_error_answers_500_with_a_request_id_and_no_traceback(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with _failing_app(tmp_path) as client, caplog.at_level(logging.ERROR):
        answer = client.get("/api/boom", headers={"X-Request-ID": "req-123"})
    assert answer.status_code == 500
    body = answer.json()
    assert body["code"] == "internal_error"
    assert body["request_id"] == "req-123" == answer.headers["x-request-id"]
    assert "Erro interno" in body["message"] and "req-123" in body["message"]
    assert "segredo" not in answer.text and "Traceback" not in answer.text and "RuntimeError" not in answer.text
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert any("req-123" in record.getMessage() and record.exc_info for record in caplog.records)


def test_uploads_are_rate_limited_per_caller_with_retry_after(make_site: SiteFactory) -> None:
    site = make_site(upload_rate_per_minute=1, upload_rate_burst=2)
    operator, admin = site.bearer(site.operator_token), site.bearer(site.admin_token)
    answers = [site.client.post("/api/uploads", headers=operator).status_code for _ in range(3)]
    assert answers == [400, 400, 429]  # no files: refused after the rate check, which counts the attempt
    limited = site.client.post("/api/uploads", headers=operator)
    assert limited.json()["code"] == "rate_limited"
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    assert site.client.post("/api/uploads", headers=admin).status_code == 400  # another caller, its own bucket


@pytest.mark.parametrize(
    "name",
    ["../../../../tmp/escape.pdf", "..\\..\\windows.pdf", "/etc/passwd.pdf", "fatura de março ☀ " + "x" * 300 + ".pdf"],
)
def test_original_file_names_never_become_storage_paths(make_site: SiteFactory, tmp_path: Path, name: str) -> None:
    site = make_site(auth="off", max_upload_bytes=1 << 20)
    data = fake_pdf(month="2024-02", name=name)
    answer = site.client.post("/api/uploads", files=[("files", (name, data, "application/pdf"))])
    assert answer.status_code == 202
    sha256 = hashlib.sha256(data).hexdigest()
    with site.uow_factory(read_only=True) as uow:
        document = uow.session.query(Document).one()
    assert document.storage_key == storage_key(sha256) == f"documents/{sha256[:2]}/{sha256}.pdf"
    stored = [path for path in tmp_path.rglob("*") if path.is_file() and path.suffix == ".pdf"]
    assert [path.name for path in stored] == [f"{sha256}.pdf"]
    assert not (tmp_path / "tmp" / "escape.pdf").exists() and not Path("/tmp/escape.pdf").exists()


@pytest.mark.parametrize(
    ("auth", "host", "users_exist", "required"),
    [
        ("auto", "127.0.0.1", False, False),  # the embedded default: two commands, no login
        ("auto", "127.0.0.1", True, True),  # someone created a user: login from then on
        ("auto", "0.0.0.0", False, True),  # reachable from elsewhere: always login
        ("auto", "::1", False, False),
        ("on", "127.0.0.1", False, True),
        ("off", "127.0.0.1", True, False),
    ],
)
def test_when_login_is_required(auth: str, host: str, users_exist: bool, required: bool) -> None:
    assert login_required(Settings(auth=auth, host=host), users_exist) is required


def test_loopback_addresses() -> None:
    assert all(is_loopback(host) for host in ["127.0.0.1", "127.8.9.1", "::1", "[::1]", "localhost"])
    assert not any(is_loopback(host) for host in ["0.0.0.0", "::", "192.168.0.10", "faturas.example.com", ""])


def test_the_first_user_turns_login_on(make_site: SiteFactory, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "d", database_url=f"sqlite:///{tmp_path / 'auto.db'}")
    assert settings.auth == "auto"
    with TestClient(create_app(settings, run_worker=False, extractor=fake_extract)) as client:
        assert client.get("/api/jobs").status_code == 200
        assert client.get("/api/me").json()["authenticated"] is False
        first = {"email": "a@example.com", "password": "primeira-senha", "role": "admin"}
        created = client.post("/api/users", json=first)
        assert created.status_code == 201
        assert client.get("/api/jobs").status_code == 401


def test_the_token_bucket_refills_at_its_rate_and_says_how_long_to_wait() -> None:
    now = [0.0]
    bucket = TokenBucket(rate_per_second=0.5, burst=2, clock=lambda: now[0])
    assert [bucket.take("a"), bucket.take("a")] == [0, 0]
    assert bucket.wait("a") == 2.0 and bucket.take("a") == 2.0  # one token comes back every 2 s
    assert bucket.take("b") == 0  # every key has its own bucket
    now[0] = 2.0
    assert bucket.take("a") == 0 and bucket.take("a") == 2.0
    assert retry_after(0.1) == 1 and retry_after(2.0) == 2
    assert TokenBucket(rate_per_second=0, burst=1).take("a") == 0  # rate 0: no limit
