#!/usr/bin/env bash
# Restores a backup made by deploy/backup.sh, replacing what is there. Stop the instances first.
#   deploy/restore.sh FILE
# With DATABASE_URL set: pg_restore into that database (which must exist; objects in the backup
# are dropped and made again). Without: the embedded database's directory under DATA_DIR is
# replaced by the one in the archive (the old one is kept beside it as pglite.before-restore).
set -euo pipefail
in=${1:?usage: deploy/restore.sh FILE}
[ -f "$in" ] || { echo "no file $in" >&2; exit 1; }
if [ -n "${DATABASE_URL:-}" ]; then
  pg_restore --clean --if-exists --no-owner --exit-on-error --single-transaction \
    --dbname="$DATABASE_URL" "$in"
  echo "restored $in into the server database"
else
  dir=${DATA_DIR:-./data}
  mkdir -p "$dir"
  tmp=$(mktemp -d "$dir/restore.XXXXXX")
  tar -xzf "$in" -C "$tmp"
  [ -f "$tmp/pglite/PG_VERSION" ] || { rm -rf "$tmp"; echo "$in holds no embedded database" >&2; exit 1; }
  rm -rf "$dir/pglite.before-restore"
  [ -d "$dir/pglite" ] && mv "$dir/pglite" "$dir/pglite.before-restore"
  mv "$tmp/pglite" "$dir/pglite"
  rmdir "$tmp"
  echo "restored $in into $dir/pglite (the previous one is in $dir/pglite.before-restore)"
fi
