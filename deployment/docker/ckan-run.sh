#!/usr/bin/env bash
# Runs one CKAN command in a container of the portal image (harvest consumers, the harvest
# scheduler, the jobs worker, one-off admin commands) with the plugin list from CKAN__PLUGINS.
#
# Installed as /usr/local/bin/ckan-run. In the web container, prerun.py writes CKAN__PLUGINS
# into the ini. Other containers skip prerun.py, so this script writes the plugin list itself
# before it starts the command; otherwise their plugins would differ from the web's.
# Not run on the development machine (no Docker engine): deployment/portal.sh runs the same
# commands there.
#
# Usage: ckan-run [--every SECONDS] CKAN_ARGS...
#   ckan-run harvester gather-consumer
#   ckan-run --every 60 harvester run     repeats forever; a failed run is logged and retried
#   ckan-run sysadmin add NAME            one-off command (docker compose run --rm ...)
set -euo pipefail

ini=${CKAN_INI:?CKAN_INI is set by the ckan/ckan-base image}
every=
if [[ ${1:-} == --every ]]; then
  every=${2:?--every needs a number of seconds}
  shift 2
fi
if (($# == 0)); then
  echo "usage: ckan-run [--every SECONDS] CKAN_ARGS..." >&2
  exit 2
fi

if [[ -n ${CKAN__PLUGINS:-} ]]; then
  ckan config-tool "$ini" "ckan.plugins = $CKAN__PLUGINS" >/dev/null
fi

if [[ -z $every ]]; then
  exec ckan -c "$ini" "$@"
fi

# PID 1 ignores SIGTERM without a trap. Sleeping in the background lets `docker stop` end
# the loop at once.
trap 'exit 0' TERM INT
while true; do
  ckan -c "$ini" "$@" || echo "ckan $* failed (exit $?); retrying in ${every}s" >&2
  sleep "$every" &
  wait $!
done
