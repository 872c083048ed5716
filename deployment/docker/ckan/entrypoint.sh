#!/usr/bin/env bash
# Entrypoint of the CKAN image. Writes $CKAN_INI from the environment (render_ini.py), then:
#   web          gunicorn on port 5000 (GUNICORN_WORKERS processes x GUNICORN_THREADS threads)
#   migrate      one-shot: CKAN's and the plugins' migrations, the DataStore permissions
#                (needs DATASTORE_ADMIN_URL, a superuser URL of the DataStore database), and the
#                sysadmin CKAN_SYSADMIN_NAME/_EMAIL/_PASSWORD when those are set
#   gather       harvest gather consumer
#   fetch        harvest fetch consumer (run as many as needed)
#   scheduler    `ckan harvester run` every HARVEST_RUN_INTERVAL seconds (exactly one per site)
#   jobs         background-job worker (queues default and smartregion_downloads)
#   ckan ARGS    any CKAN command, e.g. `ckan search-index rebuild`
set -euo pipefail

python3 /opt/ckan-docker/render_ini.py
ckan_cli() { ckan -c "$CKAN_INI" "$@"; }

# CKAN's processes (and the migration, which the others wait for) start once Solr answers for
# the collection (SolrCloud: once solr-init has made it); CKAN itself would only log a warning
# and fail every search.
wait_for_solr() {
  local i
  for ((i = 0; i < ${SOLR_WAIT_SECONDS:-300}; i += 2)); do
    curl -fsS -o /dev/null --max-time 5 "$CKAN_SOLR_URL/select?q=*:*&rows=0" && return 0
    sleep 2
  done
  echo "[entrypoint] Solr does not answer at $CKAN_SOLR_URL; starting anyway" >&2
}
case "${1:-web}" in web | migrate | gather | fetch | jobs | scheduler) wait_for_solr ;; esac

case "${1:-web}" in
web)
  exec gunicorn --chdir /opt/ckan-docker --config /opt/ckan-docker/gunicorn_hooks.py \
    --bind 0.0.0.0:5000 --workers "${GUNICORN_WORKERS:-2}" \
    --threads "${GUNICORN_THREADS:-4}" --worker-class gthread --timeout "${GUNICORN_TIMEOUT:-60}" \
    --graceful-timeout 20 --max-requests 2000 --max-requests-jitter 200 --forwarded-allow-ips '*' \
    wsgi:application
  ;;
migrate)
  echo "[migrate] CKAN and plugin migrations"
  ckan_cli db upgrade
  echo "[migrate] DataStore permissions"
  : "${DATASTORE_ADMIN_URL:?set DATASTORE_ADMIN_URL (a superuser URL of the DataStore database)}"
  ckan_cli datastore set-permissions | psql -X -q -v ON_ERROR_STOP=1 "$DATASTORE_ADMIN_URL" >/dev/null
  if [[ -n ${CKAN_SYSADMIN_NAME:-} && -n ${CKAN_SYSADMIN_PASSWORD:-} ]]; then
    if ! ckan_cli user show "$CKAN_SYSADMIN_NAME" 2>/dev/null | grep -q "name=$CKAN_SYSADMIN_NAME"; then
      ckan_cli user add "$CKAN_SYSADMIN_NAME" email="${CKAN_SYSADMIN_EMAIL:?set CKAN_SYSADMIN_EMAIL}" \
        password="$CKAN_SYSADMIN_PASSWORD" >/dev/null
    fi
    ckan_cli sysadmin add "$CKAN_SYSADMIN_NAME" >/dev/null
    echo "[migrate] sysadmin $CKAN_SYSADMIN_NAME"
  fi
  echo "[migrate] done"
  ;;
gather) exec ckan -c "$CKAN_INI" harvester gather-consumer ;;
fetch) exec ckan -c "$CKAN_INI" harvester fetch-consumer ;;
jobs) exec ckan -c "$CKAN_INI" jobs worker default smartregion_downloads ;;
scheduler)
  # Starts due and requested jobs, marks finished ones. A failed run is logged and retried.
  trap 'exit 0' TERM INT
  while true; do
    ckan_cli harvester run || echo "[scheduler] harvester run failed (exit $?)" >&2
    sleep "${HARVEST_RUN_INTERVAL:-30}" &
    wait $!
  done
  ;;
ckan)
  shift
  exec ckan -c "$CKAN_INI" "$@"
  ;;
*) exec "$@" ;;
esac
