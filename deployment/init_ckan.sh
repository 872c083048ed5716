#!/usr/bin/env bash
# Prepares CKAN on running services: renders ckan.ini and test.ini, migrates the portal and
# test databases (CKAN core and every enabled plugin), sets the DataStore permissions and
# makes the sysadmin account. Idempotent.
# Usage: deployment/init_ckan.sh [portal|test|all]   (default: all)
. "$(dirname "$0")/lib.sh"
. "$REPO_ROOT/deployment/postgres.sh"

ADMIN_PASSWORD_FILE="$STATE/admin_password"

render_config() { "$SMARTREGION_VENV/bin/python" "$REPO_ROOT/deployment/render_config.py"; }

# init_digest INI: what the database schema depends on (installed code, configuration).
init_digest() {
  { cat "$SMARTREGION_VENV/.smartregion-installed" 2>/dev/null; cat "$1";
    find "$REPO_ROOT/ckanext-smartregion" -path '*/migration/*' -name '*.py' -exec cat {} + 2>/dev/null; } \
    | sha256sum | cut -d' ' -f1
}

# migrate INI DATASTORE_DB: schema of CKAN and its enabled plugins (db upgrade does both), then DataStore permissions;
# skipped when neither the code nor the configuration changed since the last success.
migrate() {
  local ini=$1 datastore_db=$2 log="$LOG_DIR/init-$(basename "$1" .ini).log"
  local stamp="$STATE/run/init-$(basename "$1" .ini).done" digest
  digest=$(init_digest "$ini")
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$digest" ]] && psql_admin "$datastore_db" -c 'select 1' >/dev/null 2>&1; then
    return 0
  fi
  : >"$log"
  ckan_cli -c "$ini" db upgrade >>"$log" 2>&1 || die_with_log "ckan db upgrade failed ($ini)" "$log"
  ckan_cli -c "$ini" datastore set-permissions 2>>"$log" | psql_admin "$datastore_db" >>"$log" 2>&1 \
    || die_with_log "DataStore permissions failed ($ini)" "$log"
  echo "$digest" >"$stamp"
}

ensure_sysadmin() {
  local ini="$STATE/ckan.ini"
  [[ -f "$STATE/run/sysadmin.done" ]] && return 0
  [[ -f "$ADMIN_PASSWORD_FILE" ]] || { "$SMARTREGION_VENV/bin/python" -c \
    'import secrets; print(secrets.token_urlsafe(12))' >"$ADMIN_PASSWORD_FILE"; chmod 600 "$ADMIN_PASSWORD_FILE"; }
  if ! ckan_cli -c "$ini" user show "$SMARTREGION_SYSADMIN" 2>/dev/null | grep -q "name=$SMARTREGION_SYSADMIN"; then
    ckan_cli -c "$ini" user add "$SMARTREGION_SYSADMIN" email="$SMARTREGION_SYSADMIN_EMAIL" \
      password="$(cat "$ADMIN_PASSWORD_FILE")" >>"$LOG_DIR/init-ckan.log" 2>&1 \
      || die_with_log "could not create the sysadmin" "$LOG_DIR/init-ckan.log"
  fi
  ckan_cli -c "$ini" sysadmin add "$SMARTREGION_SYSADMIN" >>"$LOG_DIR/init-ckan.log" 2>&1 \
    || die_with_log "could not make $SMARTREGION_SYSADMIN a sysadmin" "$LOG_DIR/init-ckan.log"
  touch "$STATE/run/sysadmin.done"
}

target=${1:-all}
render_config
if [[ $target == portal || $target == all ]]; then
  migrate "$STATE/ckan.ini" datastore
  ensure_sysadmin
  say "portal database ready"
fi
if [[ $target == test || $target == all ]]; then
  migrate "$STATE/$SMARTREGION_TEST_NAME.ini" "$SMARTREGION_TEST_DATASTORE"
  say "test database ready"
fi
