"""The webhook dispatcher: a worker thread that sends due deliveries, never a request handler.

It runs in the embedded runtime and in every ``faturas worker`` process; any number of them may run
against one database (claims settle who sends what, see services/webhook_dispatch.py).
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor

from faturas.errors import ServiceUnavailable
from faturas.services.context import ServiceContext
from faturas.services.webhook_dispatch import dispatch_once, http_client

log = logging.getLogger(__name__)

#: After an error the dispatcher waits this many poll intervals: a database that is down is not hammered.
ERROR_PAUSE_FACTOR = 10


class WebhookDispatcher:
    def __init__(self, context: ServiceContext) -> None:
        self._context = context
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="faturas-webhooks", daemon=True)

    def start(self) -> WebhookDispatcher:
        self._thread.start()
        return self

    def stop(self, timeout: float = 30) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _loop(self) -> None:
        settings = self._context.settings
        with (
            http_client(settings) as client,
            ThreadPoolExecutor(settings.webhook_concurrency, thread_name_prefix="faturas-webhook-send") as senders,
        ):
            while not self._stop.is_set():
                pause = settings.webhook_poll_seconds
                try:
                    sent = dispatch_once(self._context, client, senders)
                except ServiceUnavailable as error:
                    log.warning("webhooks: cannot reach the database: %s", error.message)
                    sent, pause = 0, pause * ERROR_PAUSE_FACTOR
                except Exception:
                    # Say, the schema is not migrated yet: the dispatcher must outlive it and look again.
                    log.exception("webhooks: dispatch failed")
                    sent, pause = 0, pause * ERROR_PAUSE_FACTOR
                if not sent:
                    self._stop.wait(pause)
