#!/usr/bin/env bash
# A PostgreSQL streaming replica of the test server (127.0.0.1:5432), in a cluster of its own, for
# the tests of heavy reads on a replica (tests/server-only/replica.test.ts):
#   replica.sh create DIR PORT   pg_basebackup -R into DIR, started on 127.0.0.1:PORT as a standby
#   replica.sh stop DIR | start DIR | remove DIR
# The server must allow replication connections from 127.0.0.1 (.ci/run sets that up). Run as
# root, the clusters's commands run as postgres.
set -euo pipefail
cmd=${1:?create, start, stop or remove}
dir=${2:?the data directory of the replica}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "$cmd" in
  create)
    port=${3:?the port of the replica}
    rm -rf "$dir"
    install -d -m 0700 -o postgres -g postgres "$dir"
    as_pg pg_basebackup -h 127.0.0.1 -p 5432 -U postgres -D "$dir" -R -X stream -c fast
    # Debian keeps a cluster's configuration outside its data directory: the replica has its own
    as_pg tee "$dir/postgresql.conf" >/dev/null <<CONF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
hot_standby = on
fsync = off
CONF
    as_pg tee "$dir/pg_hba.conf" >/dev/null <<'HBA'
local all all trust
host all all 127.0.0.1/32 trust
HBA
    as_pg touch "$dir/pg_ident.conf"
    as_pg "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 start >/dev/null
    ;;
  start) as_pg "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 start >/dev/null ;;
  stop) as_pg "$bin/pg_ctl" -D "$dir" -m fast -w -t 60 stop >/dev/null ;;
  remove)
    as_pg "$bin/pg_ctl" -D "$dir" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *) echo "unknown command $cmd" >&2; exit 2 ;;
esac
