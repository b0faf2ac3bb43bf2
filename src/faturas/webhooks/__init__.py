"""Webhooks: signing payloads (pure) and sending them over HTTP (the adapter)."""
