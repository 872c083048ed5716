#!/usr/bin/env bash
# First-start set-up of the portal's PostgreSQL 15 container: creates the CKAN role and
# database, the DataStore database (owned by the CKAN role, which is also the DataStore
# write user) and the DataStore read-only role.
#
# The image's entrypoint (entrypoint.sh) runs this on the first start only, while the data
# volume is still empty; later changes to the environment do not reach an existing cluster.
# Table grants for the read-only role and the _table_metadata view come from
# `ckan datastore set-permissions`, which the CKAN image's one-shot `migrate` runs.
set -euo pipefail

: "${POSTGRES_USER:?}" "${CKAN_DB_USER:?}" "${CKAN_DB_PASSWORD:?}" "${CKAN_DB_NAME:?}"
: "${DATASTORE_DB_NAME:?}" "${DATASTORE_RO_USER:?}" "${DATASTORE_RO_PASSWORD:?}"

# psql_as_superuser DB [ARGS...]: values travel as psql variables; format() quotes them.
psql_as_superuser() {
  local db=$1
  shift
  psql -X -q -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$db" \
    -v ckan_user="$CKAN_DB_USER" -v ckan_password="$CKAN_DB_PASSWORD" \
    -v ckan_db="$CKAN_DB_NAME" -v datastore_db="$DATASTORE_DB_NAME" \
    -v ro_user="$DATASTORE_RO_USER" -v ro_password="$DATASTORE_RO_PASSWORD" "$@"
}

echo "[10-datastore] roles ${CKAN_DB_USER}, ${DATASTORE_RO_USER}; databases ${CKAN_DB_NAME}, ${DATASTORE_DB_NAME}"
psql_as_superuser postgres <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'ckan_user', :'ckan_password') \gexec
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L',
              :'ro_user', :'ro_password') \gexec
SELECT format('CREATE DATABASE %I OWNER %I ENCODING ''UTF8'' TEMPLATE template0',
              :'ckan_db', :'ckan_user') \gexec
SELECT format('CREATE DATABASE %I OWNER %I ENCODING ''UTF8'' TEMPLATE template0',
              :'datastore_db', :'ckan_user') \gexec
-- Only the owner connects to the CKAN database; the read-only role connects to the DataStore only.
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'ckan_db') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'datastore_db') \gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO %I', :'datastore_db', :'ro_user') \gexec
SQL

# PostgreSQL 15 already denies CREATE on schema public to PUBLIC. Say so anyway, because the
# read-only role must never be able to create tables there.
psql_as_superuser "$DATASTORE_DB_NAME" <<'SQL'
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SELECT format('GRANT USAGE ON SCHEMA public TO %I', :'ro_user') \gexec
SQL
echo "[10-datastore] done"
