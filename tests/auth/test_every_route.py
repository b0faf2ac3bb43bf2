"""Every route of the app, enumerated from the app itself: nobody gets in without the right role.

A new endpoint that nobody classified in faturas.api.route_rules.ROUTES fails here (and is admin-only at
run time until then), so an endpoint cannot be forgotten.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import BaseRoute, Mount

from faturas.api.route_rules import PUBLIC_PLAIN_ROUTES, ROUTES, Access
from tests.auth.conftest import Site

#: Placeholder values for path parameters: ids that do not exist (404 is fine, 401/403 is the question).
PARAMETER_VALUES = {"invoice_id": "999999", "client_id": "999999", "user_id": "999999", "token_id": "999999"}


def _routes(site: Site) -> list[tuple[str, str, BaseRoute]]:
    found = []
    for context in iter_route_contexts(site.client.app.routes):  # type: ignore[attr-defined]
        route = context.original_route
        path = context.path_format or getattr(route, "path", "")
        for method in sorted((context.methods or {"GET"}) - {"HEAD"}):
            found.append((method, path, route))
    return found


def _url(path: str) -> str:
    return re.sub(r"{(\w+)(:\w+)?}", lambda match: PARAMETER_VALUES.get(match.group(1), "x"), path)


def _call(site: Site, method: str, path: str, headers: dict[str, str] | None = None) -> httpx.Response:
    headers = {"Accept": "text/html" if not path.startswith("/api/") else "application/json", **(headers or {})}
    return site.client.request(method, _url(path), headers=headers, follow_redirects=False)


def _refused(answer: httpx.Response) -> str | None:
    """'login' (401 or a redirect to the login page), 'role' (403 for the role), or None (let in)."""
    if answer.status_code == 303 and answer.headers.get("location", "").startswith("/login?next="):
        return "login"
    code = _code(answer)
    if answer.status_code == 401 and code in {"not_authenticated", None}:
        return "login"
    if answer.status_code == 403 and (code == "forbidden" or "papel" in answer.text):
        return "role"
    return None


def _code(answer: httpx.Response) -> Any:
    if answer.headers.get("content-type", "").startswith("application/json"):
        return answer.json().get("code") if isinstance(answer.json(), dict) else None
    return None


def test_every_route_is_classified(shared_site: Site) -> None:
    site = shared_site
    site.client.cookies.clear()
    unclassified = []
    for method, path, route in _routes(site):
        if isinstance(route, APIRoute):
            if (method, path) not in ROUTES:
                unclassified.append(f"{method} {path}")
            # Rules are looked up by the route's own path: a router included with a prefix would break that.
            assert route.path_format == path, f"{path}: include routers without prefix (see faturas.api.route_rules)"
        else:
            prefix = route.path if isinstance(route, Mount) else path
            if prefix not in PUBLIC_PLAIN_ROUTES:
                unclassified.append(f"{method} {path} (outside FastAPI's dependencies: must be public)")
    assert not unclassified, "classify in faturas.api.route_rules.ROUTES: " + ", ".join(unclassified)


def test_anonymous_requests_are_refused_on_every_protected_route(shared_site: Site) -> None:
    site = shared_site
    site.client.cookies.clear()
    for method, path, route in _routes(site):
        rule = ROUTES.get((method, path))
        access = rule.access if rule is not None else Access.ADMIN
        answer = _call(site, method, path)
        if access is Access.PUBLIC or not isinstance(route, APIRoute):
            assert _refused(answer) is None, f"{method} {path} is public: {answer.status_code} {answer.text[:200]}"
            continue
        assert _refused(answer) == "login", f"{method} {path}: {answer.status_code} {answer.text[:200]}"
        if path.startswith("/api/"):
            assert answer.status_code == 401
            assert answer.json()["code"] == "not_authenticated"
            assert answer.headers["www-authenticate"].startswith("Bearer")
        elif method == "GET":
            assert answer.headers["location"] == "/login?next=" + _url(path).replace("/", "%2F")


def test_operators_are_refused_admin_routes_and_let_into_the_others(shared_site: Site) -> None:
    site = shared_site
    site.client.cookies.clear()
    operator = site.bearer(site.operator_token)
    for method, path, route in _routes(site):
        if not isinstance(route, APIRoute) or path == "/logout":
            continue
        access = ROUTES[(method, path)].access
        answer = _call(site, method, path, operator)
        expected = "role" if access is Access.ADMIN else None
        assert _refused(answer) == expected, f"{method} {path}: {answer.status_code} {answer.text[:200]}"
        if expected == "role":
            assert answer.status_code == 403


def test_admins_are_let_in_everywhere(shared_site: Site) -> None:
    site = shared_site
    site.client.cookies.clear()
    admin = site.bearer(site.admin_token)
    for method, path, route in _routes(site):
        if not isinstance(route, APIRoute) or path == "/logout":
            continue
        answer = _call(site, method, path, admin)
        assert _refused(answer) is None, f"{method} {path}: {answer.status_code} {answer.text[:200]}"


@pytest.mark.parametrize("header", ["Bearer fat_not-a-real-token", "Bearer ", "Basic YWRtaW46YWRtaW4="])
def test_a_bad_credential_is_refused_not_ignored(shared_site: Site, header: str) -> None:
    site = shared_site
    site.client.cookies.clear()
    answer = site.client.get("/api/jobs", headers={"Authorization": header})
    assert answer.status_code == 401
    assert "token inválido ou revogado" in answer.json()["message"]
