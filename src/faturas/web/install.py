"""install_web(app): the pages' routes, the static files and the chart library, on the API's app."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from faturas.web import pages

STATIC_DIR = Path(__file__).parent / "static"
#: plotly.js as the plotly wheel ships it: the charts need nothing from the internet.
PLOTLY_JS = Path(str(files("plotly") / "package_data" / "plotly.min.js"))
_ONE_DAY = "public, max-age=86400"


def install_web(app: FastAPI) -> None:
    app.include_router(pages.router)
    # plotly.js is 4.8 MB as shipped, about 1.5 MB compressed: it matters on a phone's connection.
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        return FileResponse(PLOTLY_JS, media_type="text/javascript", headers={"Cache-Control": _ONE_DAY})
