#!/usr/bin/env bash
# Entrypoint of the PostgreSQL image: initialises an empty data volume (superuser `postgres`
# with POSTGRES_PASSWORD, password logins over the network only, 10-datastore.sh run against
# a socket-only server), then runs the server in the foreground. Extra server settings come
# as arguments, e.g. `-c shared_buffers=512MB`.
set -euo pipefail

if [[ ! -s $PGDATA/PG_VERSION ]]; then
  : "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD for the first start}"
  initdb -D "$PGDATA" -U postgres -E UTF8 --locale=C.UTF-8 --auth-local=peer --auth-host=scram-sha-256 \
    --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") >/dev/null
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
  POSTGRES_USER=postgres bash /opt/postgres-docker/10-datastore.sh
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  echo "[postgres] cluster initialised"
fi
exec postgres -D "$PGDATA" -c listen_addresses='*' -c max_connections="${POSTGRES_MAX_CONNECTIONS:-200}" \
  -c shared_buffers="${POSTGRES_SHARED_BUFFERS:-256MB}" "$@"
