"""One exception tree. Every error carries the data that explains it.

``code`` is stable for programs (API, job records); ``message`` is for people and is in Portuguese.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from faturas.domain.field_labels import field_list


class FaturasError(Exception):
    """Base of every error faturas raises on purpose."""

    code = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}

    def __reduce__(self) -> tuple[Any, ...]:
        # Subclasses take other arguments than the message: rebuild from the attributes instead, so
        # errors cross process boundaries (the extraction pool) intact.
        return (_rebuild_error, (type(self), self.message, self.__dict__))


def _rebuild_error(kind: type[FaturasError], message: str, attributes: dict[str, Any]) -> FaturasError:
    error = kind.__new__(kind)
    FaturasError.__init__(error, message)
    error.__dict__.update(attributes)
    return error


class BillRejected(FaturasError):
    """The input cannot be read as an electricity bill; retrying will not help."""

    code = "rejected"


class EmptyFile(BillRejected):
    code = "empty_file"

    def __init__(self) -> None:
        super().__init__("O arquivo está vazio.")


class NotAPdf(BillRejected):
    code = "not_a_pdf"

    def __init__(self, detected: str) -> None:
        super().__init__(f"O arquivo não é um PDF (conteúdo detectado: {detected}).")
        self.detected = detected


class DamagedPdf(BillRejected):
    code = "damaged_pdf"

    def __init__(self, detail: str) -> None:
        super().__init__(f"O PDF está danificado ou incompleto e não pôde ser aberto ({detail}).")
        self.detail = detail


class EncryptedPdf(BillRejected):
    code = "encrypted_pdf"

    def __init__(self, password_given: bool) -> None:
        if password_given:
            message = "O PDF é protegido por senha e a senha informada não confere."
        else:
            message = "O PDF é protegido por senha; informe a senha (por exemplo, o CPF do titular)."
        super().__init__(message)
        self.password_given = password_given


class TooManyPages(BillRejected):
    code = "too_many_pages"

    def __init__(self, pages: int, limit: int) -> None:
        super().__init__(f"O PDF tem {pages} páginas; o limite é {limit}.")
        self.pages = pages
        self.limit = limit


class NoTextLayer(BillRejected):
    code = "no_text_layer"

    def __init__(self, pages: int) -> None:
        super().__init__(
            f"O PDF não tem camada de texto ({pages} página(s) só com imagem): "
            "parece uma digitalização ou captura de tela."
        )
        self.pages = pages


class NotABill(BillRejected):
    code = "not_a_bill"

    def __init__(self, reason: str) -> None:
        super().__init__(f"O documento não é uma fatura de energia elétrica: {reason}.")
        self.reason = reason


class UnknownDistributor(BillRejected):
    code = "unknown_distributor"

    def __init__(self, cues_tried: Iterable[str]) -> None:
        self.cues_tried = tuple(cues_tried)
        super().__init__("Distribuidora não reconhecida. Procuramos por: " + ", ".join(self.cues_tried) + ".")


class UnsupportedLayout(BillRejected):
    code = "unsupported_layout"

    def __init__(self, distributor: str, layouts_tried: Iterable[str]) -> None:
        self.distributor = distributor
        self.layouts_tried = tuple(layouts_tried)
        tried = ", ".join(self.layouts_tried) or "nenhum"
        super().__init__(f"Fatura da {distributor} em um layout que ainda não lemos (layouts conhecidos: {tried}).")


class FieldsMissing(BillRejected):
    code = "fields_missing"

    def __init__(self, fields: Iterable[str], template: str) -> None:
        self.fields = tuple(fields)
        self.template = template
        super().__init__(f"Campos obrigatórios não encontrados ({field_list(self.fields)}) com o modelo {template}.")


class InvalidNumber(BillRejected):
    code = "invalid_number"

    def __init__(self, text: str) -> None:
        super().__init__(f"Número inválido na fatura: {text!r}.")
        self.text = text


class InvalidDate(BillRejected):
    code = "invalid_date"

    def __init__(self, text: str) -> None:
        super().__init__(f"Data inválida na fatura: {text!r}.")
        self.text = text


def seconds_text(seconds: float) -> str:
    """Seconds as a Brazilian reads them: 300 -> "300", 6.182 -> "6,2" (never "6.182", six thousand)."""
    return f"{seconds:.1f}".removesuffix(".0").replace(".", ",")


class ExtractionTimedOut(BillRejected):
    code = "timeout"

    def __init__(self, seconds: float) -> None:
        super().__init__(f"A leitura da fatura passou do limite de {seconds_text(seconds)} segundos.")
        self.seconds = seconds


class ExtractionTooLarge(BillRejected):
    """Reading the bill needed more memory than one job may use (a bomb, or a parser that ran away)."""

    code = "too_large"

    def __init__(self, limit_mb: int) -> None:
        super().__init__(
            f"A leitura da fatura esgotou o limite de memória de {limit_mb} MB por fatura: "
            "o arquivo é grande ou malformado demais para ser lido."
        )
        self.limit_mb = limit_mb


class DecompressionBomb(ExtractionTooLarge):
    """A few kilobytes that inflate to gigabytes: refused before the PDF library inflates them."""

    def __init__(self, limit_mb: int) -> None:
        BillRejected.__init__(
            self,
            f"O PDF contém dados compactados que se expandem para mais de {limit_mb} MB "
            "(parece uma bomba de descompressão); o arquivo não foi lido.",
        )
        self.limit_mb = limit_mb


class ParserCrashed(BillRejected):
    """The PDF library died on this file, alone in its process: the file is malformed, not the service down."""

    code = "parser_crashed"

    def __init__(self, signal_name: str) -> None:
        super().__init__(
            f"O leitor de PDF encerrou com erro ao abrir este arquivo ({signal_name}); o arquivo parece malformado."
        )
        self.signal_name = signal_name


class ServiceUnavailable(FaturasError):
    """A dependency (database, queue, file store) cannot be reached; retrying later may help."""

    code = "service_unavailable"


class QueueUnavailable(ServiceUnavailable):
    code = "queue_unavailable"

    def __init__(self, detail: str) -> None:
        super().__init__(f"A fila de processamento está indisponível ({detail}).")
        self.detail = detail


class StorageUnavailable(ServiceUnavailable):
    code = "storage_unavailable"

    def __init__(self, detail: str) -> None:
        super().__init__(f"O armazenamento de arquivos está indisponível ({detail}).")
        self.detail = detail


class StorageFull(StorageUnavailable):
    """The file store is out of space (or quota): nothing was stored; the upload may be sent again later."""

    code = "storage_full"

    def __init__(self, detail: str) -> None:
        ServiceUnavailable.__init__(self, f"O armazenamento de arquivos está cheio; nada foi guardado ({detail}).")
        self.detail = detail


class StoredFileMissing(FaturasError):
    code = "stored_file_missing"

    def __init__(self, key: str) -> None:
        super().__init__(f"O arquivo original não foi encontrado no armazenamento ({key}).")
        self.key = key


class DatabaseUnavailable(ServiceUnavailable):
    code = "database_unavailable"

    def __init__(self, detail: str) -> None:
        super().__init__(f"O banco de dados está indisponível ({detail}).")
        self.detail = detail


class UploadRejected(FaturasError):
    """An upload refused at the door, before anything is stored."""

    code = "upload_rejected"


class NoFilesUploaded(UploadRejected):
    code = "no_files"

    def __init__(self) -> None:
        super().__init__("Nenhum arquivo foi enviado.")


class UploadTooLarge(UploadRejected):
    code = "upload_too_large"

    def __init__(self, name: str, limit: int) -> None:
        super().__init__(f"O arquivo {name!r} passa do limite de {limit // (1024 * 1024)} MB.")
        self.name = name
        self.limit = limit


class RequestTooLarge(UploadRejected):
    """The whole request passes the size limit: refused while it streams in, before anything is stored."""

    code = "upload_too_large"

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"O envio passa do limite de {limit // (1024 * 1024)} MB por requisição; "
            "nada foi guardado. Envie os arquivos em lotes menores."
        )
        self.limit = limit


class TooManyFiles(UploadRejected):
    code = "too_many_files"

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"Foram enviados mais de {limit} arquivos em uma requisição; nada foi guardado. "
            f"Envie no máximo {limit} arquivos por vez."
        )
        self.limit = limit


class NotFound(FaturasError):
    code = "not_found"

    def __init__(self, kind: str, identifier: object) -> None:
        super().__init__(f"{kind} {identifier} não encontrado(a).")
        self.kind = kind
        self.identifier = identifier


class JobStateConflict(FaturasError):
    """The action does not apply to the job in its current state."""

    code = "job_state_conflict"

    def __init__(self, job_id: str, status: str, action: str) -> None:
        super().__init__(f"O job {job_id} está {status!r}; não é possível {action}.")
        self.job_id = job_id
        self.status = status
        self.action = action


class AccessError(FaturasError):
    """Access control: who may do what (authentication, roles, CSRF, rate limits, accounts)."""

    code = "access_error"


class NotAuthenticated(AccessError):
    code = "not_authenticated"

    def __init__(self, reason: str = "") -> None:
        super().__init__(
            "Autenticação necessária: entre com e-mail e senha ou envie um token de API "
            f"(Authorization: Bearer){f' ({reason})' if reason else ''}."
        )
        self.reason = reason


class PermissionDenied(AccessError):
    code = "forbidden"

    def __init__(self, role_needed: str) -> None:
        super().__init__(f"Acesso negado: esta ação exige o papel {role_needed!r}.")
        self.role_needed = role_needed


class CsrfRejected(AccessError):
    code = "csrf_rejected"

    def __init__(self, reason: str) -> None:
        super().__init__(f"Requisição recusada ({reason}). Recarregue a página e tente de novo.")
        self.reason = reason


class RateLimited(AccessError):
    code = "rate_limited"

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(f"Muitas requisições em pouco tempo; tente de novo em {retry_after_seconds} s.")
        self.retry_after_seconds = retry_after_seconds


class InvalidAccount(AccessError):
    """A user or token that cannot be created or changed as asked (bad e-mail, short password, role)."""

    code = "invalid_account"

    def __init__(self, reason: str) -> None:
        super().__init__(f"Dados de conta inválidos: {reason}.")
        self.reason = reason


class AccountExists(AccessError):
    code = "account_exists"

    def __init__(self, email: str) -> None:
        super().__init__(f"Já existe um usuário com o e-mail {email}.")
        self.email = email


class AuthNotConfigured(AccessError):
    """faturas was asked to listen beyond this machine while anyone could get in."""

    code = "auth_not_configured"

    def __init__(self, host: str, reason: str) -> None:
        super().__init__(
            f"Recusado: o faturas não atende em {host} (acessível de outras máquinas) sem autenticação: {reason}. "
            "Para configurar: crie um administrador com `faturas users create EMAIL --role admin` "
            "(com FATURAS_AUTH=auto, o padrão, a autenticação liga sozinha quando há usuários; "
            "FATURAS_AUTH=on a exige sempre) e, para programas, um token com "
            "`faturas tokens create --user EMAIL --name NOME`. Para usar só nesta máquina, use --host 127.0.0.1."
        )
        self.host = host
        self.reason = reason


class OcrUnavailable(BillRejected):
    """A scanned bill needs OCR and Tesseract (or its Portuguese model) is not installed here."""

    code = "ocr_unavailable"

    def __init__(self, detail: str) -> None:
        super().__init__(f"OCR não disponível: {detail}. A fatura digitalizada não pôde ser lida.")
        self.detail = detail


class OcrTimeout(BillRejected):
    code = "ocr_timeout"

    def __init__(self, seconds: float) -> None:
        limit = seconds_text(seconds)
        super().__init__(f"A leitura por OCR da fatura digitalizada excedeu o limite de {limit} segundos.")
        self.seconds = seconds


class NotAPdfNorImage(NotAPdf):
    """Uploads take PDFs and bill images; the code stays ``not_a_pdf`` for clients that check it."""

    def __init__(self, detected: str) -> None:
        BillRejected.__init__(
            self, f"O arquivo não é um PDF nem uma imagem JPG, PNG ou WebP (conteúdo detectado: {detected})."
        )
        self.detected = detected


class DamagedImage(BillRejected):
    code = "damaged_image"

    def __init__(self, detail: str) -> None:
        super().__init__(f"A imagem está danificada ou incompleta e não pôde ser aberta ({detail}).")
        self.detail = detail


class ImageTooLarge(BillRejected):
    """More pixels than any phone photo: a decompression bomb, refused before it is decoded."""

    code = "image_too_large"

    def __init__(self, limit: int, pixels: int | None = None) -> None:
        size = f"tem {pixels / 1e6:.0f} megapixels" if pixels is not None else "é grande demais"
        super().__init__(f"A imagem {size}; o limite é {limit / 1e6:.0f} megapixels.")
        self.limit = limit
        self.pixels = pixels


class InvalidWebhook(FaturasError):
    """A webhook subscription that cannot be created as asked (bad URL, unknown event)."""

    code = "invalid_webhook"

    def __init__(self, reason: str) -> None:
        super().__init__(f"Webhook inválido: {reason}.")
        self.reason = reason


class WebhookDisabled(FaturasError):
    code = "webhook_disabled"

    def __init__(self, subscription_id: int) -> None:
        super().__init__(
            f"A assinatura de webhook {subscription_id} está desativada; reative-a antes de reenviar entregas."
        )
        self.subscription_id = subscription_id
