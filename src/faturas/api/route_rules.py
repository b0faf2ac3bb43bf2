"""Who may call which route: every route of the app, by method and path, with the access it needs.

A route missing here is admin-only at run time (closed, not open) and fails
tests/auth/test_every_route.py until someone decides who may call it. faturas.api.access enforces it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Access(StrEnum):
    PUBLIC = "public"
    OPERATOR = "operator"  # any signed-in user (operators and admins)
    ADMIN = "admin"


@dataclass(frozen=True)
class Rule:
    access: Access
    #: Counted against the caller's upload rate (FATURAS_UPLOAD_RATE_PER_MINUTE).
    rate_limited: bool = False


PUBLIC = Rule(Access.PUBLIC)
OPERATOR = Rule(Access.OPERATOR)
ADMIN = Rule(Access.ADMIN)

#: (method, path template) -> rule, for every route of the app.
ROUTES: dict[tuple[str, str], Rule] = {
    ("GET", "/health"): PUBLIC,
    ("GET", "/health/live"): PUBLIC,
    ("GET", "/health/ready"): PUBLIC,
    ("GET", "/metrics"): PUBLIC,
    ("GET", "/vendor/plotly.min.js"): PUBLIC,
    ("GET", "/login"): PUBLIC,
    ("POST", "/login"): PUBLIC,
    ("POST", "/logout"): PUBLIC,
    ("GET", "/api/me"): OPERATOR,
    ("POST", "/api/uploads"): Rule(Access.OPERATOR, rate_limited=True),
    ("GET", "/api/jobs"): OPERATOR,
    ("GET", "/api/jobs/counts"): OPERATOR,
    ("GET", "/api/jobs/{job_id}"): OPERATOR,
    ("POST", "/api/jobs/{job_id}/retry"): OPERATOR,
    ("POST", "/api/jobs/{job_id}/replace"): ADMIN,
    ("GET", "/api/clients"): OPERATOR,
    ("GET", "/api/clients/overview"): OPERATOR,
    ("GET", "/api/clients/{client_id}"): OPERATOR,
    ("GET", "/api/units"): OPERATOR,
    ("GET", "/api/invoices"): OPERATOR,
    ("GET", "/api/invoices/export"): OPERATOR,
    ("GET", "/api/invoices/{invoice_id}"): OPERATOR,
    ("GET", "/api/invoices/{invoice_id}/pdf"): OPERATOR,
    ("GET", "/api/dashboard"): OPERATOR,
    # Pages (faturas.web): a person who is not signed in is sent to /login.
    ("GET", "/"): OPERATOR,
    ("GET", "/enviar"): OPERATOR,
    ("GET", "/faturas"): OPERATOR,
    ("GET", "/faturas/{invoice_id}"): OPERATOR,
    ("GET", "/clientes"): OPERATOR,
    ("GET", "/clientes/{client_id}"): OPERATOR,
    ("GET", "/dashboard"): OPERATOR,
    ("GET", "/processamento"): OPERATOR,
    ("POST", "/processamento/{job_id}/tentar-de-novo"): OPERATOR,
    ("POST", "/processamento/{job_id}/substituir"): ADMIN,
    # Access control itself.
    ("GET", "/api/users"): ADMIN,
    ("POST", "/api/users"): ADMIN,
    ("PATCH", "/api/users/{user_id}"): ADMIN,
    ("GET", "/api/tokens"): ADMIN,
    ("POST", "/api/tokens"): ADMIN,
    ("DELETE", "/api/tokens/{token_id}"): ADMIN,
    ("GET", "/api/audit"): ADMIN,
    # Webhooks: where data leaves faturas, with their signing secrets.
    ("GET", "/api/webhooks"): ADMIN,
    ("POST", "/api/webhooks"): ADMIN,
    ("GET", "/api/webhooks/deliveries"): ADMIN,
    ("GET", "/api/webhooks/deliveries/{delivery_id}"): ADMIN,
    ("POST", "/api/webhooks/deliveries/{delivery_id}/redeliver"): ADMIN,
    ("GET", "/api/webhooks/{subscription_id}"): ADMIN,
    ("DELETE", "/api/webhooks/{subscription_id}"): ADMIN,
    ("POST", "/api/webhooks/{subscription_id}/enable"): ADMIN,
}

#: Routes that FastAPI's dependencies never see (documentation, static files): all must be public.
PUBLIC_PLAIN_ROUTES = frozenset(
    {
        "/openapi.json",
        "/docs",
        "/docs/oauth2-redirect",
        "/static",
        "/static-docs",
        "/metrics",
        "/health/live",
        "/health/ready",
    }
)


def rule_for(method: str, path: str) -> Rule | None:
    """The route's rule; None for a route nobody classified (callers treat it as admin-only)."""
    return ROUTES.get(("GET" if method == "HEAD" else method, path))
