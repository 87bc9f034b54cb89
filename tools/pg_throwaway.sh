#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: loopback only, socket in the cluster
# folder, so it never meets a real server on this machine. The superuser `postgres` needs
# no password (the tests' admin URL); every other role must give one, as on a Pemkab
# server, so the tests can check that PGPASSWORD and ~/.pgpass are honoured.
#   tools/pg_throwaway.sh start DIR PORT   (DIR must not exist yet, or be a cluster we made)
#   tools/pg_throwaway.sh stop DIR PORT    (stops it and removes DIR)
# Runs as the `postgres` user when started as root: initdb refuses to run as root.
set -euo pipefail
action=${1:?start|stop} dir=${2:?DIR} port=${3:?PORT}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}

case $action in
  start)
    if [ ! -f "$dir/PG_VERSION" ]; then
      mkdir -p "$dir"
      [ "$(id -u)" = 0 ] && chown postgres: "$dir"
      as_owner "'$bin/initdb' -D '$dir' -A trust -U postgres -E UTF8 --locale=C.UTF-8 >'$dir.initdb.log'"
      printf '%s\n' 'local all all trust' 'host all postgres 127.0.0.1/32 trust' \
        'host all all 127.0.0.1/32 scram-sha-256' >"$dir/pg_hba.conf"
    fi
    # fsync off: a throwaway cluster need not survive a power cut and tests run faster.
    as_owner "'$bin/pg_ctl' -D '$dir' -w -l '$dir/server.log' -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\" start"
    echo "PostgreSQL on 127.0.0.1:$port (user postgres, no password); stop with: $0 stop $dir $port"
    ;;
  stop)
    if [ -f "$dir/postmaster.pid" ]; then
      as_owner "'$bin/pg_ctl' -D '$dir' -m fast -w stop" || true
    fi
    rm -rf "$dir" "$dir.initdb.log"
    ;;
  *) echo "usage: $0 start|stop DIR PORT" >&2; exit 2 ;;
esac
