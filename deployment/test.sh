#!/usr/bin/env bash
# Runs the test suite against the running services with .state/test.ini (test databases,
# test Solr core, Redis database 1). Extra arguments go to pytest.
. "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"
mkdir -p "$STATE/test-artifacts"
exec "$SMARTREGION_VENV/bin/pytest" --ckan-ini="$STATE/test.ini" \
  --junitxml="$STATE/test-artifacts/junit.xml" "$@"
