#!/usr/bin/env bash
# A throwaway PostgreSQL server on 127.0.0.1 for the store's tests (Debian's postgresql package).
#   source scripts/postgres.sh start   → exports TEST_DATABASE_URL
#   scripts/postgres.sh stop
# The data folder lives under the system temp directory and is removed on stop.
set -euo pipefail
PORT="${FOOTNOTE_PG_PORT:-54329}"
STATE="${TMPDIR:-/tmp}/footnote-pg.state"
bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
case "${1:-}" in
  start)
    BIN="$(bin)"
    if [ -z "$BIN" ]; then echo "postgresql is not installed: apt-get install postgresql" >&2; exit 69; fi
    if [ -f "$STATE" ]; then echo "a test PostgreSQL is already running: scripts/postgres.sh stop first" >&2; exit 75; fi
    DATA="$(mktemp -d "${TMPDIR:-/tmp}/pgdata.XXXXXX")"
    chown postgres "$DATA"
    su postgres -s /bin/sh -c "$BIN/initdb -D $DATA -A trust -U postgres >/dev/null"
    if ! su postgres -s /bin/sh -c "$BIN/pg_ctl -D $DATA -l $DATA/server.log -o '-p $PORT -k $DATA -c listen_addresses=127.0.0.1' -w start >/dev/null"; then
      echo "PostgreSQL did not start on 127.0.0.1:$PORT (port in use? set FOOTNOTE_PG_PORT): $(tail -n 1 "$DATA/server.log")" >&2
      rm -rf "$DATA"
      exit 69
    fi
    echo "$DATA" > "$STATE"
    export TEST_DATABASE_URL="postgresql://postgres@127.0.0.1:$PORT/postgres"
    echo "PostgreSQL started on 127.0.0.1:$PORT"
    ;;
  stop)
    [ -f "$STATE" ] || exit 0
    DATA="$(cat "$STATE")"
    su postgres -s /bin/sh -c "$(bin)/pg_ctl -D $DATA -m fast -w stop >/dev/null" || true
    rm -rf "$DATA" "$STATE"
    ;;
  *) echo "usage: scripts/postgres.sh start|stop" >&2; exit 64 ;;
esac
