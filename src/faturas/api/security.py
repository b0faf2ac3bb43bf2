"""install_access_control(app, settings): everything access control adds to the app, in one call.

The authorize dependency itself is given to FastAPI(dependencies=[...]) in create_app, so that every
route, whichever router brings it and whenever it is included, runs it first.
"""

from __future__ import annotations

from fastapi import FastAPI

from faturas.api.access import AccessControl
from faturas.api.hardening import SecurityMiddleware, access_error, internal_error
from faturas.api.routers import admin, auth
from faturas.config import Settings
from faturas.errors import AccessError


def install_access_control(app: FastAPI, settings: Settings) -> None:
    app.state.access = AccessControl(settings)
    app.add_middleware(SecurityMiddleware, settings=settings)
    app.add_exception_handler(AccessError, access_error)
    # Anything unexpected: a generic answer with the request id, the traceback only in the log.
    app.add_exception_handler(Exception, internal_error)
    app.include_router(auth.router)
    app.include_router(admin.router)
