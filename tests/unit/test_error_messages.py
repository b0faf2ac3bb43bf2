from faturas.errors import ExtractionTimedOut, FieldsMissing, OcrTimeout


def test_time_limits_are_written_with_a_decimal_comma() -> None:
    assert "limite de 6,2 segundos" in OcrTimeout(6.182).message
    assert "limite de 300 segundos" in ExtractionTimedOut(300.0).message


def test_missing_fields_are_named_as_people_read_them() -> None:
    error = FieldsMissing(("client_number", "due_date"), "cpfl.serie_c")
    assert "(Nº do cliente, Vencimento)" in error.message
