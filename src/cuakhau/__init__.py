"""cuakhau: the platform that runs a Vietnamese border-gate economic zone."""

__version__ = "0.1.0"
