#!/usr/bin/env bash
# Runs the test suite against the running services with .state/ckan_test.ini (test
# databases, test Solr core, a Redis database of their own; SMARTREGION_TEST_SLOT picks
# another set). Extra arguments go to pytest.
. "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"
export SMARTREGION_TEST_ARTIFACTS="$STATE/test-artifacts/$SMARTREGION_TEST_NAME"
mkdir -p "$SMARTREGION_TEST_ARTIFACTS"
exec "$SMARTREGION_VENV/bin/pytest" --ckan-ini="$STATE/$SMARTREGION_TEST_NAME.ini" \
  --junitxml="$SMARTREGION_TEST_ARTIFACTS/junit.xml" "$@"
