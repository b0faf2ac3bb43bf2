"""Observability: Prometheus metrics (one module defines them all) and the log context of requests and jobs."""
