#!/bin/sh
# Restore a dump made by db_dump.sh into an EMPTY database (create it first:
# createdb -T template0 NAME). One transaction: on any error nothing is restored.
#   deploy/backup/db_restore.sh /backups/db/culturehall-20260101.dump postgres://…/culturehall_restored
set -eu
file="${1:?usage: db_restore.sh FILE DATABASE_URL}"
url="${2:?usage: db_restore.sh FILE DATABASE_URL}"
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$url" "$file"
