"""The HTTP API: thin routers over the services, one error handler, OpenAPI at /docs."""
