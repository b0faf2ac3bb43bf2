"""create_app(settings): the API, with the embedded worker started in its lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

from faturas.api.access import authorize
from faturas.api.docs import install_docs
from faturas.api.errors import install_error_handlers
from faturas.api.request_context import RequestContextMiddleware
from faturas.api.routers import clients, dashboard, invoices, jobs, operations, uploads
from faturas.api.routers.webhooks import router as webhooks_router
from faturas.api.security import install_access_control
from faturas.api.upload_limits import UploadLimits
from faturas.config import Settings
from faturas.services.context import ServiceContext, build_context
from faturas.services.extract_document import Extractor
from faturas.web import install_web
from faturas.worker.runtime import EmbeddedRuntime, start_embedded_runtime
from faturas.worker.worker_process import WorkerProcess, start_worker_process


def create_app(
    settings: Settings,
    *,
    run_worker: bool = True,
    extractor: Extractor | None = None,
    context: ServiceContext | None = None,
) -> FastAPI:
    """``run_worker``: in embedded mode, process jobs too (``faturas serve``), in a worker process of
    its own, so the server's GIL serves requests only (see faturas.worker.worker_process).

    Tests may pass a ready ``context`` and an in-thread ``extractor``: the jobs then run in this process.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        own_context = context is None
        app.state.context = service_context = context or build_context(settings)
        runtime: EmbeddedRuntime | WorkerProcess | None = None
        if run_worker and settings.embedded_queue:
            if extractor is None:
                runtime = start_worker_process(service_context, settings.workers)
            else:
                runtime = start_embedded_runtime(service_context, settings.workers, extractor)
        try:
            yield
        finally:
            if runtime is not None:
                runtime.stop()
            if own_context:
                service_context.close()

    app = FastAPI(
        title="faturas",
        description="Faturas de energia elétrica em dados limpos e validados.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served by install_docs, without a CDN
        redoc_url=None,
        # Access control runs first on every route (faturas.api.route_rules says who may call it).
        dependencies=[Depends(authorize)],
    )
    # Uploads first: requests are matched against the routes in order, and uploads are the busiest
    # route (no other route shares their path).
    app.include_router(uploads.router)
    install_error_handlers(app)
    install_access_control(app, settings)
    app.add_middleware(RequestContextMiddleware)
    for module in (jobs, clients, invoices, dashboard, operations):
        app.include_router(module.router)
    app.include_router(webhooks_router)
    install_web(app)
    install_docs(app)
    app.add_middleware(UploadLimits, settings=settings)  # outermost: sizes checked before anything reads the body
    return app
