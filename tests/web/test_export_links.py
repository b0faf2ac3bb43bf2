"""The library's export links: the CSV and XLSX files hold exactly the rows the page's filters select."""

from __future__ import annotations

import csv
import io
import re

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.web.test_pages import client, stored

__all__ = ["client", "stored"]


def _export_links(page: str) -> dict[str, str]:
    links = re.findall(r'href="(/api/invoices/export\?format=(\w+)&amp;[^"]*)"', page)
    return {export_format: href.replace("&amp;", "&") for href, export_format in links}


def test_the_export_links_carry_the_page_filters(stored: TestClient) -> None:
    params = {"client_number": "7100000001", "month_from": "2024-02"}
    shown = stored.get("/api/invoices", params=params).json()["items"]
    links = _export_links(stored.get("/faturas", params=params).text)
    assert set(links) == {"csv", "xlsx"}

    answer = stored.get(links["csv"])
    assert answer.status_code == 200
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert sorted(int(row["invoice_id"]) for row in rows) == sorted(invoice["id"] for invoice in shown)

    workbook = load_workbook(io.BytesIO(stored.get(links["xlsx"]).content), read_only=True)
    sheet = workbook.active
    assert sheet is not None
    assert len(list(sheet.iter_rows(values_only=True))) == len(shown) + 1  # header + the rows
