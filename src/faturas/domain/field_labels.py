"""Portuguese labels for the extracted fields: the JSON keys stay in English for programs, people read these."""

from __future__ import annotations

from collections.abc import Iterable

#: Labels for the extracted fields, as the pages and the warnings show them.
FIELD_LABELS = {
    "distributor": "Distribuidora",
    "layout": "Modelo de fatura",
    "installation_number": "Instalação",
    "client_number": "Nº do cliente",
    "reference_month": "Mês de referência",
    "due_date": "Vencimento",
    "total_amount": "Total a pagar",
    "items": "Itens",
    "energy_kwh": "Energia (kWh)",
    "scee_kwh": "Energia SCEE (kWh)",
    "compensated_kwh": "Energia compensada (kWh)",
    "public_lighting_amount": "Iluminação pública",
    "holder_name": "Titular",
    "access_key": "Chave de acesso NF3e",
    "nota_fiscal_number": "Nota fiscal",
    "nota_fiscal_series": "Série da nota fiscal",
    "issue_date": "Emissão",
    "payment_line": "Linha digitável",
    "barcode": "Código de barras",
    "automatic_debit_code": "Código de débito automático",
    "customer_class": "Classe",
    "subclass": "Subclasse",
    "tariff_modality": "Modalidade tarifária",
    "supply_type": "Tipo de fornecimento",
    "reading_dates": "Datas de leitura",
    "previous": "Anterior",
    "current": "Atual",
    "days": "Dias",
    "next": "Próxima",
    "meter_readings": "Leituras do medidor",
    "meter": "Medidor",
    "quantity": "Grandeza",
    "constant": "Constante",
    "consumption": "Consumo",
    "gd_balance_kwh": "Saldo de créditos GD (kWh)",
    "tariff_flags": "Bandeiras tarifárias",
    "month": "Mês",
    "flag": "Bandeira",
    "taxes": "Tributos",
    "name": "Nome",
    "base": "Base de cálculo",
    "rate": "Alíquota",
    "amount": "Valor",
    "consumption_history": "Histórico de consumo",
    "kwh": "kWh",
    "daily_average": "Média diária",
    "collective_account": "Conta coletiva",
    "warnings": "Avisos de validação",
    "text_source": "Origem do texto",
    "needs_review": "Precisa de revisão",
    "consumption_kwh": "Consumo (kWh)",
    "total_without_gd": "Total sem GD",
    "gd_savings": "Economia GD",
    "description": "Descrição",
    "unit": "Unidade",
    "unit_price": "Tarifa",
    "kind": "Tipo",
    "check": "Verificação",
    "message": "Mensagem",
    "fields": "Campos",
}


def field_label(key: object) -> str:
    return FIELD_LABELS.get(str(key), str(key))


def field_list(keys: Iterable[str]) -> str:
    """ "Instalação, Vencimento": field names as a reader of a warning expects them."""
    return ", ".join(field_label(key) for key in keys)
