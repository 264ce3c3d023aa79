"""/api/v1/auth/…: bearer tokens for residents' apps (built on Wagtail's APIToken)."""

from ninja import Router

router = Router(tags=["账号"])
