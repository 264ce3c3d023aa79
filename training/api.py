"""/api/v1/courses…, /api/v1/me/enrolments: the course menu and enrolment."""

from ninja import Router

router = Router(tags=["培训报名"])
