# Start-up step of the portal's web container: applies the migrations of CKAN and of every
# enabled plugin, then checks DataStore reads. A broken setup stops the container here, before
# uWSGI can serve errors.
#
# The base image's start_ckan.sh sources this file (it is not executed) after prerun.py and
# before uWSGI starts. That is why the work happens in a subshell: `set -u` must not leak into
# start_ckan.sh. The only exit is on failure.
# Not run on the development machine (no Docker engine): deployment/init_ckan.sh does the same
# steps for the local stack.
#
# Why `db upgrade` again: prerun.py runs `ckan db init` before it writes CKAN__PLUGINS into the
# ini, so on a first start the plugin migrations (activity, harvest, ...) can be missed.
# `db upgrade` covers core and enabled plugins and is idempotent.
# Extra web nodes set MAINTENANCE_MODE=true, the base image's switch that skips prerun.py. They
# skip the migrations here too; only one node migrates (SCALING.md).

smartregion_setup() (
  set -euo pipefail
  if [[ -n ${CKAN__PLUGINS:-} ]]; then
    ckan config-tool "$CKAN_INI" "ckan.plugins = $CKAN__PLUGINS" >/dev/null
  fi
  if [[ ${MAINTENANCE_MODE:-} == [Tt]rue ]]; then
    echo "[smartregion] MAINTENANCE_MODE=true: migrations are left to the primary web node"
    return 0
  fi
  echo "[smartregion] applying the migrations of CKAN and its enabled plugins"
  ckan -c "$CKAN_INI" db upgrade
  echo "[smartregion] checking reads through ckan.datastore.read_url"
  python3 - <<'PY'
import os
import sys

import psycopg2

try:
    conn = psycopg2.connect(os.environ["CKAN_DATASTORE_READ_URL"], connect_timeout=10)
    with conn, conn.cursor() as cur:
        cur.execute('SELECT count(*) FROM "_table_metadata"')
    conn.close()
except (KeyError, psycopg2.Error) as err:
    sys.exit(
        f"[smartregion] the DataStore cannot be read with CKAN_DATASTORE_READ_URL: {err}\n"
        "  prerun.py runs `ckan datastore set-permissions` on every start; see its output above"
    )
PY
)

# Called as a plain command: inside `if` or after `!`, bash would ignore the `set -e` above.
smartregion_setup
smartregion_status=$?
if ((smartregion_status != 0)); then
  echo "[smartregion] start-up checks failed (exit $smartregion_status); CKAN is not started" >&2
  exit 1
fi
unset smartregion_status
