"""Copy the media bucket to a directory (backup) or a directory back into a bucket (restore).

    python deploy/backup/sync_bucket.py download /backups/media
    python deploy/backup/sync_bucket.py upload /backups/media

The bucket and its store come from the app's variables (S3_ENDPOINT_URL, S3_BUCKET,
S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, S3_REGION). Only what is missing or differs in size is
copied: the app never overwrites a stored file (file_overwrite=False), so a key's content never
changes and a nightly run copies only the day's new files. Files deleted from the bucket stay
in the backup.
"""

import argparse
import os
import sys
from pathlib import Path

import boto3


def client():
    return boto3.client(
        "s3",
        endpoint_url=os.environ.get("S3_ENDPOINT_URL") or None,
        aws_access_key_id=os.environ.get("S3_ACCESS_KEY_ID") or None,
        aws_secret_access_key=os.environ.get("S3_SECRET_ACCESS_KEY") or None,
        region_name=os.environ.get("S3_REGION", "us-east-1"),
    )


def bucket_objects(s3, bucket):
    """{key: size} of every object in the bucket."""
    objects = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        objects.update({item["Key"]: item["Size"] for item in page.get("Contents", [])})
    return objects


def download(s3, bucket, directory):
    copied = 0
    for key, size in bucket_objects(s3, bucket).items():
        target = directory / key
        if not target.resolve().is_relative_to(directory.resolve()):
            raise SystemExit(f"对象名越出备份目录，已停止：{key}")
        if target.is_file() and target.stat().st_size == size:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        s3.download_file(bucket, key, str(partial))
        partial.replace(target)
        copied += 1
    return copied


def upload(s3, bucket, directory):
    stored = bucket_objects(s3, bucket)
    copied = 0
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        key = path.relative_to(directory).as_posix()
        if key.endswith(".partial") or stored.get(key) == path.stat().st_size:
            continue
        s3.upload_file(str(path), bucket, key)
        copied += 1
    return copied


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("direction", choices=["download", "upload"])
    parser.add_argument("directory", type=Path)
    args = parser.parse_args(argv)
    bucket = os.environ.get("S3_BUCKET", "culturehall")
    args.directory.mkdir(parents=True, exist_ok=True)
    copy = download if args.direction == "download" else upload
    copied = copy(client(), bucket, args.directory)
    print(f"{args.direction}: {copied} 个文件已复制（桶 {bucket}）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
