# CKAN's own processes of the local stack: the web server, the harvest gather and fetch
# consumers, the harvest scheduler and the background-job worker. Sourced (needs lib.sh).

# Two fetch consumers: on 2 cores they import a large harvest about twice as fast as one
# (bench/oaipmh_harvest.py); a third brings nothing. SMARTREGION_FETCH_CONSUMERS overrides.
FETCH_CONSUMERS=$(seq -f "fetch-consumer-%g" 1 "${SMARTREGION_FETCH_CONSUMERS:-2}")
# (fetch-consumer: the single consumer of earlier versions, so that stop still stops it)
# shellcheck disable=SC2206  # the names have no spaces
PORTAL_PROCESSES=(web gather-consumer fetch-consumer $FETCH_CONSUMERS harvest-scheduler jobs-worker)

portal_up() { curl -fsS --max-time 5 "$SMARTREGION_SITE_URL/api/3/action/status_show" >/dev/null; }

portal_start() {
  local ini="$STATE/ckan.ini"
  if pid_alive web && portal_up; then say "CKAN is already serving $SMARTREGION_SITE_URL"; else
    stop_daemon web
    require_free_port "$SMARTREGION_CKAN_PORT" CKAN CKAN_
    # With debug off CKAN serves the CSS and JS bundles it built before; drop them so a
    # changed theme is served as it is now (they are rebuilt at the first request).
    rm -rf "$STATE/storage/webassets"
    start_daemon web "$LOG_DIR/ckan-web.log" "$SMARTREGION_VENV/bin/ckan" -c "$ini" run \
      --host "$SMARTREGION_HOST" --port "$SMARTREGION_CKAN_PORT" \
      --disable-reloader --disable-debugger --threaded
  fi
  pid_alive gather-consumer || start_daemon gather-consumer "$LOG_DIR/harvest-gather.log" \
    "$SMARTREGION_VENV/bin/ckan" -c "$ini" harvester gather-consumer
  local consumer
  for consumer in $FETCH_CONSUMERS; do
    pid_alive "$consumer" || start_daemon "$consumer" "$LOG_DIR/harvest-$consumer.log" \
      "$SMARTREGION_VENV/bin/ckan" -c "$ini" harvester fetch-consumer
  done
  pid_alive harvest-scheduler || start_daemon harvest-scheduler "$LOG_DIR/harvest-scheduler.log" \
    bash "$REPO_ROOT/deployment/harvest_scheduler.sh" "$ini"
  pid_alive jobs-worker || start_daemon jobs-worker "$LOG_DIR/jobs-worker.log" \
    "$SMARTREGION_VENV/bin/ckan" -c "$ini" jobs worker default smartregion_downloads
  wait_for "$SMARTREGION_START_TIMEOUT" "$LOG_DIR/ckan-web.log" "CKAN web server" portal_up
}

portal_stop() {
  local name
  for name in "${PORTAL_PROCESSES[@]}"; do stop_daemon "$name"; done
}
