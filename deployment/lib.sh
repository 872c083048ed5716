# Shared helpers of the stack scripts: settings, logging, ports, pid files, waiting.
# Source it; it sets REPO_ROOT and the SMARTREGION_* settings.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=stack.env
. "$REPO_ROOT/deployment/stack.env"
STATE="$SMARTREGION_STATE_DIR"
RUN_DIR="$STATE/run"
LOG_DIR="$STATE/log"
mkdir -p "$RUN_DIR" "$LOG_DIR"

say() { printf '\033[1m[smartregion]\033[0m %s\n' "$*"; }
die() { printf '\033[31m[smartregion] error:\033[0m %s\n' "$*" >&2; exit 1; }

# die_with_log MESSAGE LOGFILE: fail, showing the end of the service's log.
die_with_log() {
  printf '\033[31m[smartregion] error:\033[0m %s\n--- last lines of %s ---\n' "$1" "$2" >&2
  tail -n 30 "$2" >&2 2>/dev/null || true
  exit 1
}

port_open() { (exec 3<>"/dev/tcp/$SMARTREGION_HOST/$1") 2>/dev/null; }

# require_free_port PORT NAME: refuse to start NAME where something else listens.
require_free_port() {
  if port_open "$1"; then
    die "port $1 on $SMARTREGION_HOST is already taken, so $2 cannot start there.
  See what holds it: ss -ltnp 'sport = :$1'
  Or choose another port, e.g. SMARTREGION_${3:-}PORT=<free port> make ..."
  fi
}

# wait_for SECONDS LOGFILE NAME COMMAND...: poll COMMAND until it succeeds.
wait_for() {
  local seconds=$1 log=$2 name=$3; shift 3
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      die_with_log "$name did not come up within ${seconds}s" "$log"
    fi
    sleep 0.5
  done
}

pid_alive() { [[ -f "$RUN_DIR/$1.pid" ]] && kill -0 "$(cat "$RUN_DIR/$1.pid")" 2>/dev/null; }

# start_daemon NAME LOGFILE COMMAND...: run COMMAND detached from the terminal, in its own
# session, with all output in LOGFILE, and record its pid.
start_daemon() {
  local name=$1 log=$2; shift 2
  setsid "$@" </dev/null >>"$log" 2>&1 &
  echo $! >"$RUN_DIR/$name.pid"
}

# stop_daemon NAME: TERM the process group of NAME, KILL it after 20 s.
stop_daemon() {
  local name=$1 pid
  [[ -f "$RUN_DIR/$name.pid" ]] || return 0
  pid=$(cat "$RUN_DIR/$name.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$RUN_DIR/$name.pid"
}

ckan_cli() { "$SMARTREGION_VENV/bin/ckan" "$@"; }
