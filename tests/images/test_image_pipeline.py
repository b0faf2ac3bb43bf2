"""An invented bill drawn as a phone screenshot goes through the whole image pipeline (needs Tesseract)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from PIL import Image, ImageDraw, ImageFont

from faturas.domain.reference_month import ReferenceMonth
from faturas.extraction.extract import extract_invoice
from faturas.extraction.ocr import OcrOptions

pytestmark = pytest.mark.usefixtures("tesseract")

#: An invented Light bill in the form's shape (every name, code and amount made up), without accents:
#: the font Pillow bundles has no glyphs for them.
LIGHT_LINES = (
    "LIGHT SERVICOS DE ELETRICIDADE S.A. CNPJ 60.444.437/0001-46",
    "DANF3E - DOCUMENTO AUXILIAR DA NOTA FISCAL DE ENERGIA ELETRICA",
    "FULANO DE TAL CODIGO DA INSTALACAO 0400000001",
    "REF: MES/ANO VENCIMENTO TOTAL A PAGAR",
    "MAI/2025 13/06/2025 R$ 130,00",
    "Itens de fatura Unid. Quant. Preco unit com tributos Valor",
    "Energia Eletrica kWh 100 1,20000 120,00",
    "Contrib Ilum Publica Municipal 10,00",
    "TOTAL 130,00",
    "CODIGO DO CLIENTE 20000001",
)


def _screenshot(lines: tuple[str, ...], rotate: int = 0) -> bytes:
    font = ImageFont.load_default(size=30)
    image = Image.new("RGB", (1300, 120 + 60 * len(lines)), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 1299, 50), fill=(20, 20, 20))  # the phone's status bar
    for number, line in enumerate(lines):
        draw.text((40, 90 + 60 * number), line, fill="black", font=font)
    output = io.BytesIO()
    image.rotate(rotate, expand=True).save(output, "PNG")
    return output.getvalue()


def test_an_upside_down_screenshot_is_read_and_recorded_as_ocr_from_an_image() -> None:
    invoice = extract_invoice(_screenshot(LIGHT_LINES, rotate=180), ocr=OcrOptions(cross_check=False))
    assert (invoice.distributor, invoice.text_source) == ("LIGHT", "ocr_image")
    assert (invoice.installation_number, invoice.client_number) == ("0400000001", "20000001")
    assert (invoice.reference_month, invoice.due_date) == (ReferenceMonth(2025, 5), date(2025, 6, 13))
    assert invoice.total_amount == Decimal("130.00")
    assert [item.amount for item in invoice.items] == [Decimal("120.00"), Decimal("10.00")]
    # Items add up, but no payment line confirms the total: an image read without it is never clean.
    assert invoice.needs_review
    assert "image_payment_line_missing" in {warning.check for warning in invoice.warnings}


def test_items_that_do_not_add_up_put_the_read_in_review_with_the_doubtful_fields() -> None:
    lines = tuple(line.replace("Municipal 10,00", "Municipal 15,00") for line in LIGHT_LINES)
    invoice = extract_invoice(_screenshot(lines))
    assert invoice.needs_review
    flagged = {field for warning in invoice.warnings for field in warning.fields}
    assert {"items", "total_amount"} <= flagged
    assert "items_sum" in {warning.check for warning in invoice.warnings}
