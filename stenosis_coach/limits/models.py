"""One counter row per (scope, key): the hits in the window that began at its first hit."""

from __future__ import annotations

from django.db import models


class Counter(models.Model):
    scope = models.CharField(max_length=40)  # what is limited: "signup", "upload"
    # HMAC-SHA256 of the address, e-mail or account (hex): nobody's e-mail or IP in clear.
    key = models.CharField(max_length=64)
    window_ends = models.DateTimeField(db_index=True)  # then the count starts again
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="limits_one_counter_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.scope} counter"
