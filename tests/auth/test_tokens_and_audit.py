"""API tokens (stored hashed, revocable), user management, and the audit log of who did what."""

from __future__ import annotations

import hashlib
import time
from typing import Any

from sqlalchemy import select

from faturas.db.models_auth import ApiToken, AuditEntry
from tests.auth.conftest import OPERATOR_EMAIL, Site, SiteFactory
from tests.ingest_support import fake_pdf

FINISHED = {"succeeded", "failed", "duplicate"}


def _wait(site: Site, job_id: str, headers: dict[str, str]) -> dict[str, Any]:
    for _ in range(400):
        job: dict[str, Any] = site.client.get(f"/api/jobs/{job_id}", headers=headers).json()
        if job["status"] in FINISHED:
            return job
        time.sleep(0.025)
    raise TimeoutError(job_id)


def _audit(site: Site) -> list[AuditEntry]:
    with site.uow_factory(read_only=True) as uow:
        return list(uow.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def test_a_token_is_shown_once_stored_as_its_sha256_and_stops_working_when_revoked(site: Site) -> None:
    admin = site.bearer(site.admin_token)
    created = site.client.post("/api/tokens", json={"user_id": site.operator_id, "name": "ERP"}, headers=admin)
    assert created.status_code == 201
    secret, token_id = created.json()["secret"], created.json()["token"]["id"]
    assert secret.startswith("fat_") and len(secret) > 40
    with site.uow_factory(read_only=True) as uow:
        row = uow.session.get(ApiToken, token_id)
        assert row is not None
        assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
        assert secret not in (row.token_hash, row.prefix, row.name)
        assert row.last_used_at is None
    listed = site.client.get("/api/tokens", headers=admin).json()
    assert all("secret" not in token and secret not in str(token) for token in listed)

    mine = {"Authorization": f"Bearer {secret}"}
    assert site.client.get("/api/me", headers=mine).json()["via"] == "token"
    with site.uow_factory(read_only=True) as uow:
        used = uow.session.get(ApiToken, token_id)
        assert used is not None and used.last_used_at is not None

    revoked = site.client.delete(f"/api/tokens/{token_id}", headers=admin)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    refused = site.client.get("/api/jobs", headers=mine)
    assert refused.status_code == 401
    assert refused.json()["code"] == "not_authenticated"
    actions = [(entry.action, entry.target_ids) for entry in _audit(site)]
    assert ("token_created", [str(token_id)]) in actions and ("token_revoked", [str(token_id)]) in actions


def test_a_token_acts_with_its_users_role(site: Site) -> None:
    assert site.client.get("/api/users", headers=site.bearer(site.operator_token)).status_code == 403
    assert site.client.get("/api/users", headers=site.bearer(site.admin_token)).status_code == 200


def test_admins_manage_users_through_the_api(site: Site) -> None:
    admin = site.bearer(site.admin_token)
    new = {"email": "Nova@Example.com", "password": "uma-senha-longa", "role": "operator"}
    created = site.client.post("/api/users", json=new, headers=admin)
    assert created.status_code == 201
    assert created.json()["email"] == "nova@example.com"
    assert site.client.post("/api/users", json=new, headers=admin).status_code == 409
    short = site.client.post("/api/users", json={**new, "email": "b@example.com", "password": "curta"}, headers=admin)
    assert short.status_code == 422
    assert "pelo menos 10 caracteres" in short.json()["message"]
    user_id = created.json()["id"]
    promoted = site.client.patch(f"/api/users/{user_id}", json={"role": "admin"}, headers=admin)
    assert promoted.json()["role"] == "admin"
    assert site.client.patch(f"/api/users/{user_id}", json={"active": False}, headers=admin).status_code == 200
    last = site.client.patch(f"/api/users/{site.admin_id}", json={"role": "operator"}, headers=admin)
    assert last.status_code == 422 and "último administrador" in last.json()["message"]
    emails = [user["email"] for user in site.client.get("/api/users", headers=admin).json()]
    assert "nova@example.com" in emails and OPERATOR_EMAIL in emails
    assert all("password" not in str(user) for user in site.client.get("/api/users", headers=admin).json())


def test_uploads_downloads_retries_and_replacements_are_audited_with_ids_only(
    make_site: SiteFactory, database_url: str
) -> None:
    site = make_site(run_worker=True, database_url=database_url)
    operator, admin = site.bearer(site.operator_token), site.bearer(site.admin_token)
    personal_name = "Maria-da-Silva-CPF-12345678900.pdf"
    files = [("files", (personal_name, fake_pdf(month="2024-05", total="10.00"), "application/pdf"))]
    upload = site.client.post("/api/uploads", files=files, headers=operator, params={}).json()["jobs"][0]
    first = _wait(site, upload["job_id"], operator)
    invoice_id = first["invoice_ids"][0]
    assert site.client.get(f"/api/invoices/{invoice_id}/pdf", headers=operator).status_code == 200
    exported = site.client.get("/api/invoices/export", params={"format": "csv"}, headers=operator)
    assert exported.status_code == 200

    failed_files = [("files", ("x.pdf", fake_pdf(reject="não é fatura"), "application/pdf"))]
    failed = site.client.post("/api/uploads", files=failed_files, headers=operator).json()["jobs"][0]
    assert _wait(site, failed["job_id"], operator)["status"] == "failed"
    assert site.client.post(f"/api/jobs/{failed['job_id']}/retry", headers=operator).status_code == 202

    conflict_files = [("files", ("c.pdf", fake_pdf(month="2024-05", total="11.00"), "application/pdf"))]
    conflict = site.client.post("/api/uploads", files=conflict_files, headers=operator).json()["jobs"][0]
    assert _wait(site, conflict["job_id"], operator)["duplicate_reason"] == "conflict"
    assert site.client.post(f"/api/jobs/{conflict['job_id']}/replace", headers=operator).status_code == 403
    assert site.client.post(f"/api/jobs/{conflict['job_id']}/replace", headers=admin).status_code == 202

    entries = {entry.action: entry for entry in _audit(site)}
    assert entries["upload"].target_type == "document"
    assert entries["upload"].target_ids == [str(conflict["document_id"])]  # the last upload
    assert (entries["upload"].via, entries["upload"].user_id) == ("token", site.operator_id)
    assert entries["upload"].token_id is not None and entries["upload"].request_id
    downloads = [(entry.target_type, entry.target_ids) for entry in _audit(site) if entry.action == "download"]
    assert downloads == [("invoice", [str(invoice_id)]), ("export", ["invoices.csv"])]
    assert entries["retry"].target_ids == [failed["job_id"]]
    assert (entries["replace"].target_ids, entries["replace"].user_id) == ([conflict["job_id"]], site.admin_id)
    assert "replace" not in [entry.action for entry in _audit(site) if entry.user_id == site.operator_id]
    everything = " ".join(str(vars(entry)) for entry in _audit(site))
    assert "Maria" not in everything and "12345678900" not in everything

    listed = site.client.get("/api/audit", params={"action": "download"}, headers=admin).json()
    assert [entry["target_ids"] for entry in listed] == [["invoices.csv"], [str(invoice_id)]]  # newest first
    assert site.client.get("/api/audit", headers=operator).status_code == 403


def test_login_and_logout_are_audited(site: Site) -> None:
    site.login_as_operator()
    site.client.post("/logout", headers={"X-CSRF-Token": site.csrf()})
    site.login(OPERATOR_EMAIL, "senha-errada-errada")
    actions = [(entry.action, entry.user_id, entry.via) for entry in _audit(site)]
    assert ("login", site.operator_id, "session") in actions
    assert ("logout", site.operator_id, "session") in actions
    assert ("login_failed", None, "anonymous") in actions
