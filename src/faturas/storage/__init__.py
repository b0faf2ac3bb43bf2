"""Where original files live: a port and its local and S3 adapters."""
