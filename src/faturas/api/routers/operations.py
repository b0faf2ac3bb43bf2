"""Operating endpoints: Prometheus metrics, liveness and readiness.

They are plain Starlette routes, outside FastAPI's app-wide dependencies: access control reads the
users table, and these must answer while the database is down (metrics without the queue gauges,
readiness with the reason, liveness with "ok"). The access table lists them as public.
"""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.routing import Route

from faturas.observability.exposition import render_metrics
from faturas.services.context import ServiceContext
from faturas.services.health import health

router = APIRouter(tags=["operations"])


def _context(request: Request) -> ServiceContext:
    context: ServiceContext = request.app.state.context
    return context


async def metrics(request: Request) -> Response:
    """Prometheus metrics: uploads, jobs, stage times, the queue now, webhook deliveries."""
    body = await run_in_threadpool(render_metrics, _context(request))
    return Response(body, media_type=CONTENT_TYPE_LATEST)


async def live(_request: Request) -> JSONResponse:
    """The process is up and answering; no dependency is asked (a restart would not fix them)."""
    return JSONResponse({"status": "ok"})


async def ready(request: Request) -> JSONResponse:
    """Database, queue and file store reachable: send traffic here. 503 (with the reasons) when not."""
    report = await run_in_threadpool(health, _context(request))
    return JSONResponse(report.model_dump(mode="json"), status_code=200 if report.status == "ok" else 503)


router.routes.extend(
    [
        Route("/metrics", metrics, methods=["GET"], name="metrics"),
        Route("/health/live", live, methods=["GET"], name="health_live"),
        Route("/health/ready", ready, methods=["GET"], name="health_ready"),
    ]
)
