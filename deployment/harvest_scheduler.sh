#!/usr/bin/env bash
# Runs `ckan harvester run` every minute: it starts due and manually requested harvest jobs
# and marks finished ones. Production deployments use cron for this.
# Usage: harvest_scheduler.sh CKAN_INI [SECONDS]
set -u
ini=$1 interval=${2:-60}
ckan="${SMARTREGION_VENV:?set by deployment/lib.sh}/bin/ckan"
while true; do
  "$ckan" -c "$ini" harvester run || echo "harvester run failed; retrying in ${interval}s" >&2
  sleep "$interval"
done
