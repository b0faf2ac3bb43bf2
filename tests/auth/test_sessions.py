"""Browser sessions: the login page, cookie flags, logout, CSRF (double submit), cross-site refusals."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from faturas.api.access import LOGIN_BURST
from faturas.api.rate_limit import TokenBucket
from faturas.api.sessions import CSRF_COOKIE, SESSION_COOKIE, load_session_secret
from faturas.config import Settings
from faturas.services.audit import CLI
from faturas.services.auth import change_user
from tests.auth.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, OPERATOR_EMAIL, OPERATOR_PASSWORD, Site, SiteFactory


def _flags(answer: httpx.Response, name: str) -> str:
    header = next(value for value in answer.headers.get_list("set-cookie") if value.startswith(f"{name}="))
    return header.lower()


def test_the_login_page_is_in_portuguese_and_carries_the_csrf_token(site: Site) -> None:
    page = site.client.get("/login?next=/faturas")
    assert page.status_code == 200
    assert '<html lang="pt-BR">' in page.text
    assert "Senha" in page.text and "Entrar" in page.text
    token = site.client.cookies[CSRF_COOKIE]
    assert f'name="csrf_token" value="{token}"' in page.text
    assert 'name="next" value="/faturas"' in page.text


def test_login_sets_a_signed_httponly_lax_session_cookie_and_a_new_csrf_cookie(site: Site) -> None:
    before = site.csrf()
    answer = site.login(OPERATOR_EMAIL, OPERATOR_PASSWORD, next_path="/faturas")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/faturas"
    session = _flags(answer, SESSION_COOKIE)
    assert "httponly" in session and "samesite=lax" in session and "path=/" in session
    assert "secure" not in session  # plain http (tests); see the https test below
    csrf = _flags(answer, CSRF_COOKIE)
    assert "httponly" not in csrf and "samesite=strict" in csrf
    assert site.client.cookies[CSRF_COOKIE] != before  # rotated at login
    me = site.client.get("/api/me").json()
    assert me["authenticated"] is True
    assert (me["user_id"], me["email"], me["role"], me["via"]) == (
        site.operator_id,
        OPERATOR_EMAIL,
        "operator",
        "session",
    )


def test_cookies_are_secure_and_hsts_is_sent_over_https(make_site: SiteFactory) -> None:
    site = make_site(base_url="https://testserver")
    answer = site.login(ADMIN_EMAIL, ADMIN_PASSWORD)
    assert "secure" in _flags(answer, SESSION_COOKIE)
    assert "secure" in _flags(answer, CSRF_COOKIE)
    assert answer.headers["strict-transport-security"].startswith("max-age=")


def test_cookie_security_can_be_forced_behind_a_proxy(make_site: SiteFactory) -> None:
    site = make_site(cookie_secure="always")  # TLS ends at a proxy that does not say so
    answer = site.client.get("/login")
    assert "secure" in _flags(answer, CSRF_COOKIE)


def test_a_tampered_or_foreign_session_cookie_is_worthless(site: Site, make_site: SiteFactory) -> None:
    site.login_as_admin()
    cookie = site.client.cookies[SESSION_COOKIE]
    site.client.cookies.set(SESSION_COOKIE, cookie[:-2] + ("AA" if not cookie.endswith("AA") else "BB"))
    assert site.client.get("/api/users").status_code == 401
    other = make_site(session_secret="another-secret-for-another-site")
    other.client.cookies.set(SESSION_COOKIE, cookie)
    assert other.client.get("/api/users").status_code == 401


def test_wrong_passwords_and_unknown_users_get_the_same_answer(site: Site) -> None:
    wrong = site.login(ADMIN_EMAIL, "não é a senha")
    unknown = site.login("ninguem@example.com", ADMIN_PASSWORD)
    for answer in (wrong, unknown):
        assert answer.status_code == 401
        assert "E-mail ou senha incorretos." in answer.text
    assert SESSION_COOKIE not in site.client.cookies


def test_failed_logins_are_rate_limited_per_address_and_per_email(site: Site) -> None:
    site.client.app.state.access.logins = TokenBucket(1 / 3600, 3)
    for _ in range(3):
        assert site.login(OPERATOR_EMAIL, OPERATOR_PASSWORD).status_code == 303  # successes do not count
    answers = [site.login(ADMIN_EMAIL, "errada-errada").status_code for _ in range(4)]
    assert answers == [401, 401, 401, 429]
    assert site.login(ADMIN_EMAIL, ADMIN_PASSWORD).status_code == 429  # even the right password waits
    site.client.app.state.access.logins = TokenBucket(1 / 3600, 3)
    for _ in range(3):  # failures for this e-mail seen from other addresses
        site.client.app.state.access.logins.take(f"email:{ADMIN_EMAIL}")
    assert site.login(ADMIN_EMAIL, ADMIN_PASSWORD).status_code == 429
    assert LOGIN_BURST >= 5


def test_login_without_the_csrf_token_is_refused(site: Site) -> None:
    site.csrf()
    form = {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD, "csrf_token": "x" * 43, "next": "/"}
    answer = site.client.post("/login", data=form, follow_redirects=False)
    assert answer.status_code == 403
    assert SESSION_COOKIE not in site.client.cookies


@pytest.mark.parametrize(
    "target", ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"]
)
def test_login_never_redirects_to_another_site(site: Site, target: str) -> None:
    answer = site.login(OPERATOR_EMAIL, OPERATOR_PASSWORD, next_path=target)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/"


def test_pages_send_people_to_the_login_page_and_back(site: Site) -> None:
    answer = site.client.get("/api/me", headers={"Accept": "application/json"})
    assert answer.status_code == 401
    page = site.client.get("/dashboard?client_number=1", headers={"Accept": "text/html"}, follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=%2Fdashboard%3Fclient_number%3D1"


def test_logout_ends_the_session_everywhere(site: Site) -> None:
    site.login_as_operator()
    stolen = site.client.cookies[SESSION_COOKIE]
    answer = site.client.post("/logout", headers={"X-CSRF-Token": site.csrf()}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login"
    assert SESSION_COOKIE not in site.client.cookies
    site.client.cookies.set(SESSION_COOKIE, stolen)  # a copy kept elsewhere (another tab, a thief)
    assert site.client.get("/api/me").status_code == 401


def test_disabling_a_user_ends_their_sessions_and_tokens(site: Site) -> None:
    site.login_as_operator()
    assert site.client.get("/api/jobs").status_code == 200
    change_user(site.uow_factory, site.operator_id, CLI, active=False)
    assert site.client.get("/api/jobs").status_code == 401
    assert site.client.get("/api/jobs", headers=site.bearer(site.operator_token)).status_code == 401
    assert site.login(OPERATOR_EMAIL, OPERATOR_PASSWORD).status_code == 401


def test_session_requests_that_change_something_need_the_csrf_token(site: Site) -> None:
    site.login_as_operator()
    token = site.client.cookies[CSRF_COOKIE]
    missing = site.client.post("/api/jobs/none/retry")
    assert missing.status_code == 403
    assert missing.json()["code"] == "csrf_rejected"
    wrong = site.client.post("/api/jobs/none/retry", headers={"X-CSRF-Token": "y" * 43})
    assert wrong.status_code == 403
    header = site.client.post("/api/jobs/none/retry", headers={"X-CSRF-Token": token})
    assert header.status_code == 404  # let through: the job does not exist
    field = site.client.post("/api/jobs/none/retry", data={"csrf_token": token})
    assert field.status_code == 404
    bill = ("files", ("a.pdf", b"%PDF-1.4 x", "application/pdf"))
    upload = site.client.post("/api/uploads", files=[bill], data={"csrf_token": token})
    assert upload.status_code != 403
    assert site.client.get("/api/jobs").status_code == 200  # reading needs no token


def test_bearer_requests_need_no_csrf_token(site: Site) -> None:
    answer = site.client.post("/api/jobs/none/retry", headers=site.bearer(site.operator_token))
    assert answer.status_code == 404


def test_cross_site_requests_are_refused_even_with_login_off(make_site: SiteFactory) -> None:
    site = make_site(auth="off")
    answer = site.client.post("/api/jobs/none/retry", headers={"Sec-Fetch-Site": "cross-site"})
    assert answer.status_code == 403
    assert answer.json()["code"] == "csrf_rejected"
    assert site.client.post("/api/jobs/none/retry", headers={"Sec-Fetch-Site": "same-origin"}).status_code == 404


def test_the_session_secret_is_generated_once_into_the_data_folder(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    secret = load_session_secret(settings)
    path = tmp_path / "data" / "session_secret"
    assert path.stat().st_mode & 0o777 == 0o600  # readable by faturas only
    assert len(secret) >= 48
    assert load_session_secret(settings) == secret  # a restart keeps everyone logged in
    assert load_session_secret(Settings(data_dir=tmp_path / "data", session_secret="configurado")) == "configurado"
