#!/usr/bin/env bash
# `make run`: installs what is missing, starts every service, prepares CKAN, loads the demo
# content and keeps the portal running until Ctrl-C (or `make stop`), which stops it all.
. "$(dirname "$0")/lib.sh"
. "$REPO_ROOT/deployment/portal.sh"

started=$SECONDS
# A start that fails half-way stops whatever it had started.
trap 'status=$?; ((status == 0)) || bash "$REPO_ROOT/deployment/stop.sh"' EXIT
bash "$REPO_ROOT/deployment/install.sh"
bash "$REPO_ROOT/deployment/services.sh" start
bash "$REPO_ROOT/deployment/init_ckan.sh" portal
portal_start
bash "$REPO_ROOT/deployment/load_demo.sh"

cat <<INFO

  The Smarter Liberec Region portal is running (ready in $((SECONDS - started)) s):
    portal     $SMARTREGION_SITE_URL
    API        $SMARTREGION_SITE_URL/api/3/action/status_show
    sysadmin   $SMARTREGION_SYSADMIN / $(cat "$STATE/admin_password")
    logs       $LOG_DIR/
  Stop with Ctrl-C here, or \`make stop\` from another terminal.

INFO

trap - EXIT
[[ "${SMARTREGION_DETACH:-0}" == 1 ]] && exit 0
trap 'echo; bash "$REPO_ROOT/deployment/stop.sh"; exit 0' INT TERM
while pid_alive web; do sleep 2; done
say "the web server exited; see $LOG_DIR/ckan-web.log"
bash "$REPO_ROOT/deployment/stop.sh"
