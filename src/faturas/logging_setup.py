"""Logging for the long-running commands: readable text by default, one JSON object per line with
``FATURAS_LOG_FORMAT=json``. Every line carries the log context (request id, job id, document).
"""

from __future__ import annotations

import json
import logging

from faturas.config import Settings
from faturas.observability.log_context import ContextFilter

#: The format configured in this process (None until configure_logging), so child processes match it.
_active_format: str | None = None


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {"time": self.formatTime(record), "level": record.levelname, "logger": record.name}
        entry.update(getattr(record, "context", {}))
        entry["message"] = record.getMessage()
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class _TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s%(context_part)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = getattr(record, "context_text", "")
        record.context_part = f" [{text}]" if text else ""
        return super().format(record)


def log_handler(log_format: str) -> logging.Handler:
    handler = logging.StreamHandler()
    handler.setFormatter(_JsonFormatter() if log_format == "json" else _TextFormatter())
    handler.addFilter(ContextFilter())
    return handler


def configure_logging(settings: Settings) -> None:
    configure_log_format(settings.log_format)


def configure_log_format(log_format: str) -> None:
    global _active_format
    logging.basicConfig(level=logging.INFO, handlers=[log_handler(log_format)], force=True)
    _active_format = log_format


def active_log_format() -> str | None:
    return _active_format
