"""Pages offer each person only the actions their role may take, and forms carry a valid CSRF token at once."""

from __future__ import annotations

import re
import time
from typing import Any

from sqlalchemy import update

from faturas.api.sessions import CSRF_COOKIE
from faturas.db.models_webhooks import WebhookSubscription
from faturas.services.webhook_subscriptions import create_subscription
from tests.auth.conftest import Site, SiteFactory
from tests.ingest_support import fake_pdf

REPLACE_BUTTON = ">Substituir pela nova</button>"
ENABLE_BUTTON = ">Reativar</button>"


def upload(site: Site, name: str, **fields: Any) -> dict[str, Any]:
    files = [("files", (name, fake_pdf(**fields), "application/pdf"))]
    answer = site.client.post("/api/uploads", files=files, headers=site.bearer(site.admin_token))
    assert answer.status_code == 202, answer.text
    job_id = answer.json()["jobs"][0]["job_id"]
    for _ in range(400):
        job: dict[str, Any] = site.client.get(f"/api/jobs/{job_id}", headers=site.bearer(site.admin_token)).json()
        if job["status"] in {"succeeded", "failed", "duplicate"}:
            return job
        time.sleep(0.025)
    raise TimeoutError(job_id)


def disabled_subscription(site: Site) -> int:
    context = site.client.app.state.context  # type: ignore[attr-defined]
    created = create_subscription(context, "https://crm.example.com/hooks", ["job.failed"])
    with site.uow_factory() as uow:
        disable = update(WebhookSubscription).where(WebhookSubscription.id == created.id)
        uow.session.execute(disable.values(enabled=False, disabled_reason="desativada após 5 falhas seguidas"))
        uow.commit()
    return created.id


def test_operators_do_not_see_admin_only_actions_admins_do(make_site: SiteFactory) -> None:
    site = make_site(run_worker=True)
    upload(site, "first.pdf", installation="50", month="2024-06", total="10.00")
    conflict = upload(site, "rebilling.pdf", installation="50", month="2024-06", total="12.00")
    assert conflict["duplicate_reason"] == "conflict"
    subscription_id = disabled_subscription(site)

    site.login_as_operator()
    page = site.client.get("/processamento").text
    assert "refaturamento" in page and REPLACE_BUTTON not in page
    assert "Um administrador pode substituir." in page
    assert "https://crm.example.com" in page and ENABLE_BUTTON not in page  # sees it, cannot act on it
    # What the page hides, the server refuses anyway.
    csrf = {"X-CSRF-Token": site.client.cookies[CSRF_COOKIE]}
    assert site.client.post(f"/processamento/{conflict['id']}/substituir", headers=csrf).status_code == 403
    assert site.client.post(f"/api/webhooks/{subscription_id}/enable", headers=csrf).status_code == 403

    site.client.cookies.clear()
    site.login_as_admin()
    page = site.client.get("/processamento").text
    assert REPLACE_BUTTON in page and ENABLE_BUTTON in page


def test_with_login_off_every_action_is_offered(make_site: SiteFactory) -> None:
    site = make_site(run_worker=True, auth="off")
    upload(site, "first.pdf", installation="51", month="2024-06", total="10.00")
    upload(site, "rebilling.pdf", installation="51", month="2024-06", total="12.00")
    disabled_subscription(site)
    page = site.client.get("/processamento").text
    assert REPLACE_BUTTON in page and ENABLE_BUTTON in page


def test_a_form_rendered_on_the_first_visit_carries_the_token_its_cookie_will_hold(site: Site) -> None:
    """A browser restarted keeps the session cookie (it has a max age) but not the CSRF cookie (it has none)."""
    site.login_as_operator()
    site.client.cookies.delete(CSRF_COOKIE)
    page = site.client.get("/processamento")
    assert page.status_code == 200
    cookie = site.client.cookies[CSRF_COOKIE]  # set by this very answer
    assert f"{CSRF_COOKIE}={cookie}" in page.headers["set-cookie"]
    [field] = re.findall(r'name="csrf_token" value="([^"]*)"', page.text)[:1]
    assert field == cookie
    form = {"csrf_token": field}
    posted = site.client.post("/processamento/no-such-job/tentar-de-novo", data=form, follow_redirects=False)
    assert posted.status_code == 303  # accepted: the page then explains the job does not exist
    assert "erro=" in posted.headers["location"]
