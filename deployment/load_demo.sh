#!/usr/bin/env bash
# Loads the demo content into the portal (idempotent): the organisations, the plan's activity
# areas as project fiches, and sample indicators, collection objects and datasets flagged as
# sample data. Skipped when the same code already loaded it.
. "$(dirname "$0")/lib.sh"
stamp="$RUN_DIR/demo.done"
digest=$(cat "$REPO_ROOT"/schemas/*.yaml "$REPO_ROOT"/ckanext-smartregion/ckanext/smartregion/demo*.* \
  "$STATE/ckan.ini" | sha256sum | cut -d' ' -f1)
if [[ -f "$stamp" && "$(cat "$stamp")" == "$digest" ]]; then
  say "demo content is loaded"
  exit 0
fi
say "loading the demo content"
ckan_cli -c "$STATE/ckan.ini" smartregion demo 2>>"$LOG_DIR/demo.log" \
  || die_with_log "the demo content could not be loaded" "$LOG_DIR/demo.log"
echo "$digest" >"$stamp"
