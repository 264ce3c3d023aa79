"""Production settings take every backend from the environment: the PostgreSQL pool,
Elasticsearch, S3 and Redis; without those variables the embedded defaults apply."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = {
    "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
    "PERSONAL_DATA_ENCRYPTION_KEYS": "6w6RGJDwSmpks2aYUmndpXHGeM2gl949v_mj0xG_nsc=",
    "PERSONAL_DATA_HASH_KEY": "production-hash-key",
}
SHOW = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "database": s.DATABASES["default"], "search": s.WAGTAILSEARCH_BACKENDS["default"],
    "storage": s.STORAGES["default"], "cache": s.CACHES["default"],
    "debug": s.DEBUG,
}, default=str))
"""
CLEARED = [
    "DATABASE_URL",
    "DATABASE_POOL",
    "DATABASE_CONN_MAX_AGE",
    "SEARCH_BACKEND",
    "ELASTICSEARCH_URL",
    "MEDIA_STORAGE",
    "REDIS_URL",
    "S3_ENDPOINT_URL",
    "S3_BUCKET",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
]


def production(code, **env):
    environment = {k: v for k, v in os.environ.items() if k not in CLEARED}
    environment.update(DJANGO_SETTINGS_MODULE="portal.settings.production", **REQUIRED, **env)
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_backends_come_from_the_environment():
    settings = json.loads(
        production(
            SHOW,
            DATABASE_URL="postgres://culturehall:secret@db.internal:5432/culturehall",
            DATABASE_POOL="1",
            DATABASE_POOL_MAX_SIZE="12",
            DATABASE_CONN_MAX_AGE="60",
            SEARCH_BACKEND="elasticsearch",
            ELASTICSEARCH_URL="http://es1:9200,http://es2:9200",
            MEDIA_STORAGE="s3",
            S3_ENDPOINT_URL="https://oss.example.cn",
            S3_BUCKET="zhuzhou-media",
            S3_ACCESS_KEY_ID="key-id",
            S3_SECRET_ACCESS_KEY="key-secret",
            REDIS_URL="redis://cache.internal:6379/2",
        ).splitlines()[-1]
    )
    database = settings["database"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["HOST"] == "db.internal"
    assert database["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 12, "timeout": 10.0}
    assert database["CONN_MAX_AGE"] == 0  # the pool replaces persistent connections
    assert settings["search"]["BACKEND"] == "wagtail.search.backends.elasticsearch9"
    assert settings["search"]["URLS"] == ["http://es1:9200", "http://es2:9200"]
    storage = settings["storage"]
    assert storage["OPTIONS"]["endpoint_url"] == "https://oss.example.cn"
    assert storage["OPTIONS"]["bucket_name"] == "zhuzhou-media"
    assert storage["OPTIONS"]["file_overwrite"] is False
    assert settings["cache"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert settings["cache"]["LOCATION"] == "redis://cache.internal:6379/2"
    assert settings["debug"] is False


def test_without_variables_the_embedded_defaults_apply():
    settings = json.loads(production(SHOW).splitlines()[-1])
    assert settings["database"]["ENGINE"] == "django.db.backends.sqlite3"
    assert "pool" not in settings["database"].get("OPTIONS", {})
    assert settings["search"]["BACKEND"] == "search.wagtail_backend"
    assert settings["storage"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert settings["cache"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


@pytest.mark.postgres
@pytest.mark.django_db
def test_pooled_connections_and_redis_work_for_real():
    if connection.vendor != "postgresql":
        pytest.skip("the connection pool is PostgreSQL's; run with DATABASE_URL=postgres://…")
    params = connection.settings_dict
    url = (
        f"postgres://{params['USER'] or 'postgres'}@{params['HOST'] or '127.0.0.1'}:"
        f"{params['PORT'] or 5432}/{params['NAME']}"
    )
    code = """
import django
django.setup()
from django.db import connection
from django.core.cache import cache, caches
with connection.cursor() as cursor:
    cursor.execute("SELECT 1")
print("pooled", connection.pool is not None, connection.pool.max_size)
cache.set("deploy-test", "ok", 5)
print("cache", type(caches["default"]).__name__, cache.get("deploy-test"))
"""
    env = {"DATABASE_URL": url, "DATABASE_POOL": "1", "DATABASE_POOL_MAX_SIZE": "3"}
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        redis_up = True
    except OSError:
        redis_up = False
    if redis_up:
        env.update(REDIS_URL="redis://127.0.0.1:6379/13", CACHE_KEY_PREFIX="deploy-test")
    output = production(code, **env)
    assert "pooled True 3" in output
    backend = "RedisCache" if redis_up else "LocMemCache"
    assert f"cache {backend} ok" in output
