from tests.ingest_support import database_url, make_context

__all__ = ["database_url", "make_context"]
