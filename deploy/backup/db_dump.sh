#!/bin/sh
# Dump the database named by DATABASE_URL (or $2) into FILE, in pg_dump's custom format (for
# pg_restore: compressed, restorable table by table). Written beside FILE and renamed when
# complete, so a half-written dump never looks like a backup.
#   deploy/backup/db_dump.sh /backups/db/culturehall-20260101.dump [DATABASE_URL]
set -eu
file="${1:?usage: db_dump.sh FILE [DATABASE_URL]}"
url="${2:-${DATABASE_URL:?DATABASE_URL is not set}}"
pg_dump --format=custom --no-owner --no-privileges --file="$file.partial" --dbname="$url"
mv "$file.partial" "$file"
