#!/bin/sh
# Nightly backup into DIRECTORY: a database dump (kept BACKUP_KEEP_DAYS days) and a copy of the
# media (the S3 bucket when MEDIA_STORAGE=s3, else MEDIA_ROOT), kept in step with the source.
# Settings come from the same environment as the app servers. docs/deploy.md has the restore.
#   deploy/backup.sh /backups
set -eu
dest="${1:?usage: deploy/backup.sh DIRECTORY}"
here="$(dirname "$0")"
mkdir -p "$dest/db" "$dest/media"
sh "$here/backup/db_dump.sh" "$dest/db/culturehall-$(date -u +%Y%m%dT%H%M%SZ).dump"
if [ "${MEDIA_STORAGE:-local}" = "s3" ]; then
    python "$here/backup/sync_bucket.py" download "$dest/media"
else
    cp -a -u "${MEDIA_ROOT:?MEDIA_ROOT is not set}/." "$dest/media/"
fi
find "$dest/db" -name 'culturehall-*.dump' -mtime +"${BACKUP_KEEP_DAYS:-14}" -delete
