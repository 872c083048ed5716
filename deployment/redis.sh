# Redis of the local stack, on loopback, its dump in the state folder. Sourced by services.sh.

REDIS_DIR="$STATE/redis"
REDIS_LOG="$LOG_DIR/redis.log"

redis_ping() { [[ "$(redis-cli -h "$SMARTREGION_HOST" -p "$SMARTREGION_REDIS_PORT" ping 2>/dev/null)" == PONG ]]; }

redis_start() {
  command -v redis-server >/dev/null || die "Redis is not installed. Install it: apt-get install -y redis-server"
  if pid_alive redis && redis_ping; then say "Redis is already running on port $SMARTREGION_REDIS_PORT"; return 0; fi
  require_free_port "$SMARTREGION_REDIS_PORT" Redis REDIS_
  mkdir -p "$REDIS_DIR"
  start_daemon redis "$REDIS_LOG" redis-server --bind "$SMARTREGION_HOST" --port "$SMARTREGION_REDIS_PORT" \
    --dir "$REDIS_DIR" --save 60 1 --appendonly no --protected-mode yes --daemonize no
  wait_for "$SMARTREGION_START_TIMEOUT" "$REDIS_LOG" Redis redis_ping
  say "Redis is up on $SMARTREGION_HOST:$SMARTREGION_REDIS_PORT"
}

redis_stop() { pid_alive redis && { stop_daemon redis; say "Redis stopped"; }; return 0; }
