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
else
  say "loading the demo content"
  ckan_cli -c "$STATE/ckan.ini" smartregion demo 2>>"$LOG_DIR/demo.log" \
    || die_with_log "the demo content could not be loaded" "$LOG_DIR/demo.log"
  echo "$digest" >"$stamp"
fi

# Records indexed by an older version of the index hooks lack the fields the pages facet on
# (the home page's area counts, for one): reindex when the code that builds the index changed.
index_stamp="$RUN_DIR/search-index.done"
index_digest=$(cat "$REPO_ROOT"/ckanext-smartregion/ckanext/smartregion/search.py "$REPO_ROOT"/schemas/*.yaml \
  "$STATE/ckan.ini" | sha256sum | cut -d' ' -f1)
if [[ ! -f "$index_stamp" || "$(cat "$index_stamp")" != "$index_digest" ]]; then
  say "rebuilding the search index (the index hooks changed)"
  ckan_cli -c "$STATE/ckan.ini" search-index rebuild >>"$LOG_DIR/search-index.log" 2>&1 \
    || die_with_log "the search index could not be rebuilt" "$LOG_DIR/search-index.log"
  echo "$index_digest" >"$index_stamp"
fi
