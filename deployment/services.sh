#!/usr/bin/env bash
# Starts, stops or reports the backing services of the local stack: PostgreSQL, Redis, Solr.
# Usage: deployment/services.sh start|stop|status
. "$(dirname "$0")/lib.sh"
. "$REPO_ROOT/deployment/postgres.sh"
. "$REPO_ROOT/deployment/redis.sh"
. "$REPO_ROOT/deployment/solr.sh"

case "${1:-}" in
  start)
    pg_start
    pg_ensure_databases ""
    pg_ensure_databases "_${SMARTREGION_TEST_NAME#ckan_}"
    redis_start
    solr_start
    solr_write_configset
    solr_ensure_core "$SMARTREGION_TEST_NAME"
    ;;
  stop)
    solr_stop
    redis_stop
    pg_stop
    ;;
  status)
    pg_running && echo "postgres: running on $SMARTREGION_PG_PORT" || echo "postgres: stopped"
    redis_ping && echo "redis: running on $SMARTREGION_REDIS_PORT" || echo "redis: stopped"
    solr_ready && echo "solr: running on $SMARTREGION_SOLR_PORT" || echo "solr: stopped"
    ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
