"""Worker runtimes: the embedded loop and the BullMQ worker; extraction runs in a process pool."""
