"""A bill sent as a phone screenshot through the upload page becomes an invoice like a PDF (needs Tesseract).

The invented Light screenshot prints no payment line, so its read is never clean: it is stored and
put in review, and its page shows the original image beside the fields.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.images.invented import LIGHT_LINES, screenshot
from tests.web.conftest import LiveServer

pytestmark = pytest.mark.usefixtures("tesseract")

Shoot = Callable[[Any, str], Path]


@pytest.fixture(scope="module")
def live(start_server: Callable[..., LiveServer]) -> LiveServer:
    return start_server()


@pytest.fixture(scope="module")
def photo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("images") / "conta-light.png"
    path.write_bytes(screenshot(LIGHT_LINES, rotate=180))
    return path


def test_an_image_uploaded_through_the_page_becomes_an_invoice_in_review(
    page: Any, live: LiveServer, photo: Path, screenshots: Shoot
) -> None:
    page.goto("/enviar")
    page.set_input_files("#files", [str(photo)])
    row = page.locator(f'#uploads tr[data-file="{photo.name}"][data-status="succeeded"]')
    row.wait_for(timeout=120_000)
    assert "Armazenada" in row.inner_text()
    screenshots(page, "enviar-imagem")

    invoices = live.get("/api/invoices")["items"]
    assert [(i["distributor"], i["installation_number"], i["total_amount"]) for i in invoices] == [
        ("LIGHT", "0400000001", "130.00")
    ]
    assert invoices[0]["needs_review"] is True
    invoice_id = invoices[0]["id"]
    assert live.get(f"/api/invoices/{invoice_id}")["extracted"]["text_source"] == "ocr_image"

    page.goto("/faturas?needs_review=sim")
    assert page.locator("#invoice-table tbody tr").count() == 1
    page.goto(f"/faturas/{invoice_id}")
    assert "Precisa de revisão" in page.locator("main").inner_text()
    assert "conta-light.png (imagem, enviado em" in page.locator("#invoice-fields").inner_text()
    warnings = page.locator("ul.warnings").inner_text()
    assert "_" not in warnings, "warnings name fields as people read them, not by their JSON keys"
    image = page.locator("#bill-image")
    image.wait_for()
    page.wait_for_function("document.querySelector('#bill-image').naturalWidth > 0")
    assert page.locator("iframe").count() == 0
    assert page.locator("#download-pdf").inner_text() == "Baixar a imagem original"
    screenshots(page, "fatura-imagem")

    original = live.client.get(f"/api/invoices/{invoice_id}/pdf")
    assert original.headers["content-type"] == "image/png"
    assert original.content == photo.read_bytes()
