#!/usr/bin/env bash
# `make stop`: stops every process the stack started (CKAN's, then Solr, Redis, PostgreSQL).
. "$(dirname "$0")/lib.sh"
. "$REPO_ROOT/deployment/portal.sh"
portal_stop
bash "$REPO_ROOT/deployment/services.sh" stop
say "stopped"
