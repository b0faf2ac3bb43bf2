"""In a real browser: a folder picked or files dropped on the upload page, and a disabled webhook reactivated."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from faturas.synthetic import random_bill, render_cemig_danf3e
from tests.web.conftest import LiveServer

Shoot = Callable[[Any, str], Path]


@pytest.fixture(scope="module")
def live(start_server: Callable[..., LiveServer]) -> LiveServer:
    return start_server()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder as people have them: two bills in it, one in a subfolder, and a note that is no bill."""
    root = tmp_path_factory.mktemp("contas-2024")
    rng = random.Random(11)
    (root / "janeiro").mkdir()
    for index, where in enumerate((root, root / "janeiro")):
        (where / f"conta-{index + 1}.pdf").write_bytes(render_cemig_danf3e(random_bill(rng)))
    (root / "leia-me.txt").write_text("contas do condomínio")
    return root


def test_a_folder_picked_on_the_page_sends_its_bills_and_leaves_other_files_out(
    page: Any, folder: Path, screenshots: Shoot
) -> None:
    page.goto("/enviar")
    page.set_input_files("#folder", str(folder))  # a webkitdirectory input takes the folder itself
    for name in ("conta-1.pdf", "conta-2.pdf"):
        page.locator(f'#uploads tr[data-file="{name}"][data-status="succeeded"]').wait_for(timeout=60_000)
    assert page.locator('#uploads tr[data-file="leia-me.txt"]').count() == 0
    assert "janeiro/conta-2.pdf" in page.locator("#uploads").inner_text()  # shown with its place in the folder
    summary = page.locator('#summary[data-done="true"]')
    summary.wait_for()
    assert "Concluído: 2 armazenada(s), 0 duplicada(s), 0 com falha" in summary.inner_text()
    screenshots(page, "enviar-pasta")


def test_files_dropped_on_the_page_are_sent_like_picked_ones(page: Any, folder: Path) -> None:
    page.goto("/enviar")
    bill = (folder / "conta-1.pdf").read_bytes()
    page.evaluate(
        """(bytes) => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([new Uint8Array(bytes)], "arrastada.pdf", { type: "application/pdf" }));
            const zone = document.getElementById("dropzone");
            zone.dispatchEvent(new DragEvent("dragover", { dataTransfer: transfer, bubbles: true, cancelable: true }));
            zone.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
        }""",
        list(bill),
    )
    row = page.locator('#uploads tr[data-file="arrastada.pdf"]')
    row.and_(page.locator('[data-status="succeeded"]')).wait_for(timeout=60_000)
    assert "arrastada.pdf" in row.inner_text() and "Armazenada" in row.inner_text()


def test_a_disabled_webhook_is_reactivated_from_the_processing_page(
    page: Any, live: LiveServer, screenshots: Shoot
) -> None:
    created = live.client.post("/api/webhooks", json={"url": "https://crm.example.com/hooks", "events": []})
    assert created.status_code == 201
    subscription_id = created.json()["id"]
    # The dispatcher disables a subscription after failing for hours; here the row is set as it leaves it.
    engine = create_engine(f"sqlite:///{live.data_dir / 'faturas.db'}")
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "UPDATE webhook_subscriptions SET enabled = 0, disabled_reason = :reason, "
                    "last_failure = :failure WHERE id = :id"
                ),
                {"reason": "desativada após 10 falhas seguidas", "failure": "HTTP 500", "id": subscription_id},
            )
    finally:
        engine.dispose()

    page.goto("/processamento")
    row = page.locator(f'#disabled-webhooks tr[data-subscription-id="{subscription_id}"]')
    assert "https://crm.example.com" in row.inner_text() and "10 falhas seguidas" in row.inner_text()
    screenshots(page, "processamento-webhooks")
    row.get_by_role("button", name="Reativar").click()
    page.get_by_text("Webhook reativado").wait_for()
    assert "Nenhum webhook desativado" in page.locator("#webhooks").inner_text()
    assert live.get(f"/api/webhooks/{subscription_id}")["enabled"] is True
