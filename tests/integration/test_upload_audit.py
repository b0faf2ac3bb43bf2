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


def test_new_files_of_one_request_cost_one_commit_with_the_entry_naming_them_all(make_context: ContextFactory) -> None:
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
    assert len(commits) == 1  # the files of a request go together, and the entry with them
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


def test_the_files_of_one_request_are_inserted_together(make_context: ContextFactory) -> None:
    context = make_context()
    known = fake_pdf(client="8301", month="2024-03")
    [first] = accept_upload(context, [Upload("known.pdf", known)])
    new = [fake_pdf(client=f"830{n}", month="2024-04") for n in range(2, 5)]
    statements: list[str] = []

    def on_execute(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if statement.split()[0].upper() not in ("BEGIN", "COMMIT", "ROLLBACK"):
            statements.append(" ".join(statement.split()[:3]))

    files = [Upload("a.pdf", new[0]), Upload("k.pdf", known), Upload("b.pdf", new[1]), Upload("a2.pdf", new[0])]
    files.append(Upload("c.pdf", new[2]))
    event.listen(context.engine, "before_cursor_execute", on_execute)
    try:
        accepted = accept_upload(context, files, actor=OPERATOR)
    finally:
        event.remove(context.engine, "before_cursor_execute", on_execute)
    # The new documents in one INSERT, their jobs in another, the file known already looked up, the entry.
    assert statements == [
        "INSERT INTO documents",
        "INSERT INTO jobs",
        "SELECT documents.sha256, documents.id",
        "INSERT INTO audit_log",
    ]
    assert [item.existing for item in accepted] == [False, True, False, True, False]
    assert accepted[1].job_id == first.job_id and accepted[1].document_id == first.document_id
    assert accepted[3].job_id == accepted[0].job_id  # the same file twice: one document, one job
    assert len({item.job_id for item in accepted}) == 4
    with context.uow_factory(read_only=True) as uow:
        for item in accepted:
            job = uow.jobs.get(item.job_id)
            assert job is not None and job.document_id == item.document_id and job.status == "queued"
    [entry] = upload_entries(context)
    assert entry.target_ids == [str(item.document_id) for item in accepted]
