#!/usr/bin/env bash
# Backs up Ping'an Map's data into one file.
#   deploy/backup.sh FILE
# With DATABASE_URL set: a pg_dump of that database in PostgreSQL's custom format (consistent
# while the instances run; restore it with deploy/restore.sh). Without: the embedded database's
# directory (DATA_DIR, default ./data) as a .tar.gz — stop the server first, the directory is
# only consistent while nothing writes to it.
set -euo pipefail
out=${1:?usage: deploy/backup.sh FILE}
if [ -n "${DATABASE_URL:-}" ]; then
  pg_dump --format=custom --no-owner --file="$out" "$DATABASE_URL"
  echo "backed up the server database into $out"
else
  dir=${DATA_DIR:-./data}
  [ -f "$dir/pglite/PG_VERSION" ] || { echo "no embedded database in $dir/pglite" >&2; exit 1; }
  if [ -f "$dir/pglite/postmaster.pid" ] || pgrep -f "server/main.ts" >/dev/null 2>&1; then
    echo "warning: a server may be running; stop it for a consistent copy" >&2
  fi
  tar -czf "$out" -C "$dir" pglite
  echo "backed up the embedded database ($dir/pglite) into $out"
fi
