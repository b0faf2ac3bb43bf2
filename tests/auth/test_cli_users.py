"""faturas users / tokens, `faturas serve` refusing to listen beyond loopback without login, and passwords."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from faturas.cli import app
from faturas.db.engine import make_engine, upgrade_database
from faturas.db.unit_of_work import unit_of_work_factory
from faturas.errors import InvalidAccount
from faturas.services import passwords
from faturas.services.api_tokens import token_principal


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"FATURAS_DATA_DIR": str(tmp_path / "data"), "FATURAS_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}


def _run(env: dict[str, str], *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env=env, input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_users_and_tokens_from_the_command_line(env: dict[str, str]) -> None:
    code, _, err = _run(env, "users", "create", "Ana@Example.com", "--role", "admin", "--password-stdin",
                        stdin="uma-senha-bem-longa\n")  # fmt: skip
    assert code == 0, err
    assert "ana@example.com criado" in err
    code, _, err = _run(env, "users", "create", "ana@example.com", "--password-stdin", stdin="outra-senha-longa\n")
    assert code == 1 and "Já existe um usuário" in err
    code, _, err = _run(env, "users", "create", "bia@example.com", "--password-stdin", stdin="curta\n")
    assert code == 1 and "pelo menos 10 caracteres" in err

    code, out, _ = _run(env, "users", "list")
    assert code == 0 and "ana@example.com" in out and "admin" in out

    code, secret, err = _run(env, "tokens", "create", "--user", "ana@example.com", "--name", "ERP")
    secret = secret.strip()
    assert code == 0 and secret.startswith("fat_") and "não será mostrado de novo" in err
    code, out, _ = _run(env, "tokens", "list")
    assert "ERP" in out and secret not in out and "ativo" in out

    engine = make_engine(env["FATURAS_DATABASE_URL"])
    try:
        uow_factory = unit_of_work_factory(engine)
        assert token_principal(uow_factory, secret) is not None
        code, _, err = _run(env, "tokens", "revoke", "1")
        assert code == 0 and "revogado" in err
        assert token_principal(uow_factory, secret) is None
        code, _, _ = _run(env, "tokens", "revoke", "99")
        assert code == 1

        assert _run(env, "tokens", "create", "--user", "ana@example.com", "--name", "outro")[0] == 0
        code, _, err = _run(env, "users", "disable", "ana@example.com")
        assert code == 1 and "último administrador" in err  # nobody could manage faturas any more
        second_admin = ("users", "create", "caio@example.com", "--role", "admin", "--password-stdin")
        assert _run(env, *second_admin, stdin="senha-do-caio-1\n")[0] == 0
        code, _, err = _run(env, "users", "disable", "ana@example.com")
        assert code == 0 and "desativado" in err
        code, out, _ = _run(env, "users", "list")
        assert "não" in out
    finally:
        engine.dispose()


def _serve(env: dict[str, str], monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str]:
    started: list[str] = []
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: started.append(k["host"]))
    result = CliRunner().invoke(app, ["serve", *args], env=env)
    assert bool(started) == (result.exit_code == 0)
    return result.exit_code, result.stderr


def test_serve_refuses_a_non_loopback_address_without_an_admin(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, err = _serve(env, monkeypatch, "--host", "0.0.0.0")
    assert code == 2
    assert "0.0.0.0" in err and "faturas users create" in err and "FATURAS_AUTH" in err and "127.0.0.1" in err

    assert _serve(env, monkeypatch, "--host", "127.0.0.1")[0] == 0  # the embedded default needs nothing
    code, err = _serve({**env, "FATURAS_AUTH": "on"}, monkeypatch, "--host", "127.0.0.1")
    assert code == 0 and "nenhum usuário ativo" in err  # starts, and says why nobody can log in yet

    _run(env, "users", "create", "adm@example.com", "--role", "admin", "--password-stdin", stdin="senha-do-adm-1\n")
    assert _serve(env, monkeypatch, "--host", "0.0.0.0")[0] == 0

    code, err = _serve({**env, "FATURAS_AUTH": "off"}, monkeypatch, "--host", "0.0.0.0")
    assert code == 2 and "FATURAS_AUTH=off" in err


def test_passwords_are_argon2id_hashes_with_the_recommended_parameters() -> None:
    production = passwords.new_hasher()  # the module's own hasher is made cheap for the tests
    assert production.hash("x").startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    digest = passwords.hash_password("correta-horse-battery")
    assert digest.startswith("$argon2id$") and "correta" not in digest
    assert passwords.hash_password("correta-horse-battery") != digest  # salted
    assert passwords.verify_password(digest, "correta-horse-battery")[0] is True
    assert passwords.verify_password(digest, "errada-horse-battery")[0] is False
    assert passwords.verify_password("not a hash", "x")[0] is False
    with pytest.raises(InvalidAccount):
        passwords.hash_password("curta")
    with pytest.raises(InvalidAccount):
        passwords.normalize_email("sem-arroba")


def test_migrations_create_the_access_tables(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    try:
        upgrade_database(engine)
        with engine.connect() as connection:
            tables = {row[0] for row in connection.exec_driver_sql("select name from sqlite_master where type='table'")}
        assert {"users", "api_tokens", "audit_log"} <= tables
    finally:
        engine.dispose()


def test_uploads_and_reprocessing_from_the_command_line_are_audited(env: dict[str, str], tmp_path: Path) -> None:
    bill = tmp_path / "conta.pdf"
    bill.write_bytes(b"%PDF-1.4\n% not a real bill, only stored\n")
    assert _run(env, "ingest", str(bill))[0] == 0
    assert _run(env, "reprocess")[0] == 0
    engine = make_engine(env["FATURAS_DATABASE_URL"])
    try:
        with engine.connect() as connection:
            rows = connection.exec_driver_sql("select action, via, target_type, target_ids from audit_log").all()
    finally:
        engine.dispose()
    assert [(action, via, target) for action, via, target, _ in rows] == [
        ("upload", "cli", "document"),
        ("reprocess", "cli", "document"),
    ]
    assert "conta.pdf" not in str(rows)
