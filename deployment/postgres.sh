# PostgreSQL of the local stack: its own cluster in the state folder, run as the postgres
# system user, listening on loopback only. Sourced by services.sh (needs lib.sh).

PG_DIR="$STATE/postgres"
PG_DATA="$PG_DIR/data"
PG_SOCKET="$PG_DIR/run"
PG_LOG="$LOG_DIR/postgres.log"

pg_bin() {
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [[ -n "$bindir" ]] || die "PostgreSQL is not installed. Install it: apt-get install -y postgresql"
  echo "$bindir/$1"
}

as_postgres() { runuser -u postgres -- "$@"; }

# psql_admin DB [ARGS...]: psql as the cluster's superuser over the private socket.
psql_admin() {
  local db=$1; shift
  as_postgres "$(pg_bin psql)" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCKET" -p "$SMARTREGION_PG_PORT" -d "$db" "$@"
}

pg_running() { as_postgres "$(pg_bin pg_ctl)" -D "$PG_DATA" status >/dev/null 2>&1; }

pg_init_cluster() {
  [[ -f "$PG_DATA/PG_VERSION" ]] && return 0
  say "creating the PostgreSQL cluster in $PG_DATA"
  mkdir -p "$PG_DATA" "$PG_SOCKET"
  chown -R postgres:postgres "$PG_DIR"
  chmod 700 "$PG_DATA"
  as_postgres "$(pg_bin initdb)" -D "$PG_DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=peer --auth-host=scram-sha-256 >>"$PG_LOG" 2>&1 \
    || die_with_log "initdb failed" "$PG_LOG"
}

pg_start() {
  pg_init_cluster
  if pg_running; then say "PostgreSQL is already running on port $SMARTREGION_PG_PORT"; return 0; fi
  require_free_port "$SMARTREGION_PG_PORT" PostgreSQL PG_
  touch "$PG_LOG"; chown postgres:postgres "$PG_LOG"
  mkdir -p "$PG_SOCKET"; chown postgres:postgres "$PG_SOCKET"
  as_postgres "$(pg_bin pg_ctl)" -D "$PG_DATA" -l "$PG_LOG" -w -t "$SMARTREGION_START_TIMEOUT" \
    -o "-p $SMARTREGION_PG_PORT -k $PG_SOCKET -c listen_addresses=$SMARTREGION_HOST -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || die_with_log "PostgreSQL did not start" "$PG_LOG"
  say "PostgreSQL is up on $SMARTREGION_HOST:$SMARTREGION_PG_PORT"
}

pg_stop() {
  pg_running || return 0
  as_postgres "$(pg_bin pg_ctl)" -D "$PG_DATA" -m fast -w stop >/dev/null
  say "PostgreSQL stopped"
}

# pg_ensure_role NAME PASSWORD: create or refresh a login role.
pg_ensure_role() {
  psql_admin postgres -v name="$1" -v password="$2" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'name')
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'name') \gexec
SELECT format('ALTER ROLE %I PASSWORD %L', :'name', :'password') \gexec
SQL
}

# pg_ensure_database NAME OWNER: create the database if it is missing.
pg_ensure_database() {
  psql_admin postgres -v name="$1" -v owner="$2" <<'SQL'
SELECT format('CREATE DATABASE %I OWNER %I ENCODING ''UTF8'' TEMPLATE template0', :'name', :'owner')
  WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'name') \gexec
SQL
}

# pg_ensure_databases SUFFIX: the CKAN and DataStore databases (SUFFIX "" or "_test").
pg_ensure_databases() {
  pg_ensure_role "$SMARTREGION_DB_USER" "$SMARTREGION_DB_PASSWORD"
  pg_ensure_role "$SMARTREGION_DATASTORE_RO_USER" "$SMARTREGION_DATASTORE_RO_PASSWORD"
  pg_ensure_database "ckan$1" "$SMARTREGION_DB_USER"
  pg_ensure_database "datastore$1" "$SMARTREGION_DB_USER"
}
