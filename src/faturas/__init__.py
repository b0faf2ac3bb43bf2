"""faturas: Brazilian electricity bills in, clean validated data out."""

__version__ = "0.1.0"
