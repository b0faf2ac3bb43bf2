"""Pure extraction: PDF bytes in, a validated invoice (or a typed error) out."""
