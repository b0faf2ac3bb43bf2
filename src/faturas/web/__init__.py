"""The web pages: server-rendered HTML on the same services as the JSON API, static files served locally."""

from faturas.web.install import install_web

__all__ = ["install_web"]
