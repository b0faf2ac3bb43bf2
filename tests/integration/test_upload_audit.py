"""An upload's audit entry rides in the upload's own transaction: it names every file's document."""

from __future__ import annotations

from sqlalchemy import event, select

from faturas.db.models_auth import AuditAction, AuditEntry
from faturas.services.accept_upload import Upload, accept_upload
from faturas.services.audit import Actor
from faturas.services.context import ServiceContext
from tests.ingest_support import ContextFactory, fake_pdf

OPERATOR = Actor("token", request_id="req-1", client_ip="127.0.0.1")


def upload_entries(context: ServiceContext) -> list[AuditEntry]:
    with context.uow_factory(read_only=True) as uow:
        query = select(AuditEntry).where(AuditEntry.action == AuditAction.UPLOAD).order_by(AuditEntry.id)
        return list(uow.session.scalars(query))


def test_new_files_cost_one_commit_each_and_one_entry_names_them_all(make_context: ContextFactory) -> None:
    context = make_context()
    commits: list[object] = []

    def on_commit(connection: object) -> None:
        commits.append(connection)

    event.listen(context.engine, "commit", on_commit)
    try:
        files = [Upload(f"b{n}.pdf", fake_pdf(client=f"81{n}", month="2024-03")) for n in range(2)]
        accepted = accept_upload(context, files, actor=OPERATOR)
    finally:
        event.remove(context.engine, "commit", on_commit)
    assert len(commits) == 2  # the entry is written with the last file, not in a commit of its own
    [entry] = upload_entries(context)
    assert entry.target_ids == [str(item.document_id) for item in accepted]
    assert (entry.via, entry.request_id, entry.target_type) == ("token", "req-1", "document")


def test_a_file_uploaded_again_last_is_still_audited_with_every_document(make_context: ContextFactory) -> None:
    context = make_context()
    known = fake_pdf(client="8201", month="2024-03")
    [first] = accept_upload(context, [Upload("known.pdf", known)])
    assert upload_entries(context) == []  # no actor, no entry (the CLI records its own)
    accepted = accept_upload(
        context, [Upload("new.pdf", fake_pdf(client="8202", month="2024-03")), Upload("again.pdf", known)], OPERATOR
    )
    assert accepted[1].existing and accepted[1].document_id == first.document_id
    [entry] = upload_entries(context)
    assert entry.target_ids == [str(accepted[0].document_id), str(first.document_id)]
