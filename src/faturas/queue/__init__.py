"""How job ids reach workers: a port with embedded and BullMQ adapters."""
