"""Backups (deploy/backup/): a database dump restores into an empty database with the same rows,
and the media bucket copies to a directory and back."""

import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from ..factories import make_article, make_network

ROOT = Path(__file__).resolve().parents[2]
BACKUP = ROOT / "deploy" / "backup"


def libpq_url(database_name):
    """A postgres:// URL of this test run's server, for pg_dump, pg_restore and psycopg."""
    params = connection.settings_dict
    user = params["USER"] or "postgres"
    password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
    host, port = params["HOST"] or "127.0.0.1", params["PORT"] or 5432
    return f"postgresql://{user}{password}@{host}:{port}/{database_name}"


def row_counts(url):
    with psycopg.connect(url) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            table: db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables
        }


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_database_dump_restores_into_an_empty_database(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump/pg_restore back up PostgreSQL; run with DATABASE_URL=postgres://…")
    network = make_network()  # committed rows: venues, pages, groups, workflows
    make_article(network["liling"].page, "备份测试新闻", publish=True)
    source = libpq_url(connection.settings_dict["NAME"])
    dump = tmp_path / "culturehall.dump"
    subprocess.run(["sh", BACKUP / "db_dump.sh", dump, source], check=True, timeout=300)
    assert dump.stat().st_size > 0
    assert not dump.with_name(dump.name + ".partial").exists()

    restored_name = f"test_restore_{uuid.uuid4().hex[:10]}"
    server = libpq_url("postgres")
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{restored_name}" TEMPLATE template0')
    try:
        restored = libpq_url(restored_name)
        subprocess.run(["sh", BACKUP / "db_restore.sh", dump, restored], check=True, timeout=300)
        expected = row_counts(source)
        assert expected["network_venue"] == 7
        assert row_counts(restored) == expected
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)')


def test_media_bucket_copies_to_a_directory_and_back(s3_bucket, tmp_path, monkeypatch):
    import importlib.util

    spec = importlib.util.spec_from_file_location("sync_bucket", BACKUP / "sync_bucket.py")
    sync_bucket = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sync_bucket)
    monkeypatch.setenv("S3_ENDPOINT_URL", s3_bucket.url)
    monkeypatch.setenv("S3_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("S3_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("S3_BUCKET", s3_bucket.name)
    client = s3_bucket.endpoint.client
    client.put_object(Bucket=s3_bucket.name, Key="original_images/a.png", Body=b"png-bytes")
    client.put_object(Bucket=s3_bucket.name, Key="documents/b.pdf", Body=b"%PDF-1.7")
    backup = tmp_path / "media"

    assert sync_bucket.main(["download", str(backup)]) == 0
    assert (backup / "original_images/a.png").read_bytes() == b"png-bytes"
    assert (backup / "documents/b.pdf").read_bytes() == b"%PDF-1.7"
    # A second run copies nothing: only new files move.
    assert sync_bucket.download(sync_bucket.client(), s3_bucket.name, backup) == 0

    # Restore: a lost object comes back from the directory.
    client.delete_object(Bucket=s3_bucket.name, Key="documents/b.pdf")
    assert sync_bucket.upload(sync_bucket.client(), s3_bucket.name, backup) == 1
    assert s3_bucket.get("documents/b.pdf") == b"%PDF-1.7"
