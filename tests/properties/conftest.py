"""Hypothesis settings for the property tests: bounded so the whole directory stays well under a
minute per database, no example database written into the work tree, and no deadline (the first
examples load jieba's dictionary and the database is shared by two suites)."""

from hypothesis import HealthCheck, settings

settings.register_profile(
    "culturehall",
    max_examples=100,
    deadline=None,
    database=None,
    # The `db` fixture is function scoped on purpose: each test body rolls its own writes back.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile("culturehall")
