"""Attempt limiting for public endpoints (core.throttle)."""

from __future__ import annotations

from django.db import models


class AttemptThrottle(models.Model):
    """Recent attempts from one client address (as a keyed hash, never the address itself) at one
    public endpoint. The row is locked while it is read and written, so the limit holds across
    processes and servers."""

    scope = models.CharField(max_length=32)
    client_key = models.CharField(max_length=64)
    hits = models.JSONField(default=list)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "client_key"], name="attempt_scope_client")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.client_key[:8]}"
