from faturas.domain.field_labels import field_label, field_list


def test_fields_are_named_in_portuguese_in_warnings() -> None:
    assert field_list(["installation_number", "due_date"]) == "Instalação, Vencimento"


def test_an_unknown_key_is_shown_as_it_is() -> None:
    assert field_label("something_new") == "something_new"
