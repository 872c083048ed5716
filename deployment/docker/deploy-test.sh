#!/usr/bin/env bash
# `make deploy-test`: the container deployment end to end on this machine. Installs and starts
# the Docker engine if needed (engine.sh), builds the images (build.sh), brings up the `cluster`
# profile with fresh random secrets, loads the demo content, runs deploy_check.py through the
# port published on 127.0.0.1 (functional checks, a probe harvest job, then a read load during
# which one Solr node and one web replica are stopped and started again), prints the figures
# and removes everything (`down -v`), also on failure.
# Settings: DEPLOY_TEST_PORT (28080, below the ephemeral port range), DEPLOY_TEST_THREADS (8),
# DEPLOY_TEST_SECONDS (60), DEPLOY_TEST_PROFILE (cluster; `single` skips the node loss),
# DEPLOY_TEST_KEEP=1 (no down -v), DEPLOY_TEST_KEEP_LOGS=1 (the logs folder also after a pass),
# DEPLOY_TEST_PROJECT (compose project, smartregion-deploytest: another name and port run a
# second stack beside it), DEPLOY_TEST_BUILD=0 (use the images of $TAG as they are).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
profile=${DEPLOY_TEST_PROFILE:-cluster}
port=${DEPLOY_TEST_PORT:-28080}
project=${DEPLOY_TEST_PROJECT:-smartregion-deploytest}
t0=$(date +%s)
say() { echo "deploy-test [$(($(date +%s) - t0)) s]: $*"; }

bash "$here/engine.sh"
[[ ${DEPLOY_TEST_BUILD:-1} == 1 ]] && bash "$here/build.sh"
t_built=$(date +%s)

workdir=$(mktemp -d /tmp/smartregion-deploytest.XXXXXX)
env_file="$workdir/env"
secret() { python3 -c 'import secrets; print(secrets.token_urlsafe(32))'; }
cat >"$env_file" <<ENV
CKAN_SITE_URL=http://127.0.0.1:$port
HTTP_PORT=$port
CKAN_SECRET_KEY=$(secret)
POSTGRES_PASSWORD=$(secret)
CKAN_DB_PASSWORD=$(secret)
DATASTORE_RO_PASSWORD=$(secret)
CKAN_SYSADMIN_PASSWORD=$(secret)
HARVEST_RUN_INTERVAL=5
NGINX_ACCESS_LOG=on
ENV
chmod 600 "$env_file"
compose=(docker-compose -p "$project" -f "$root/deployment/docker-compose.yml" --env-file "$env_file" --profile "$profile")

# Everything the run's containers logged, from their start (timestamped, one file per service),
# their state (restarts, exit codes, OOM kills) and the run's own files, into a folder under
# .state/ (git-ignored) that outlives `down -v`: a failed request is explained from the whole
# load window, not from a tail. Kept on failure, or always with DEPLOY_TEST_KEEP_LOGS=1.
save_logs() {
  local dir service
  dir="$root/.state/deploy-test/$(date -u +%Y%m%dT%H%M%SZ)-$profile"
  mkdir -p "$dir"
  "${compose[@]}" ps >"$dir/ps.txt" 2>&1 || true
  for service in $("${compose[@]}" config --services 2>/dev/null); do
    [[ -n $("${compose[@]}" ps -q "$service" 2>/dev/null) ]] || continue
    "${compose[@]}" logs --no-color --timestamps "$service" >"$dir/$service.log" 2>&1 || true
  done
  # shellcheck disable=SC2046
  docker inspect -f '{{.Name}} started={{.State.StartedAt}} finished={{.State.FinishedAt}} exit={{.State.ExitCode}} oom={{.State.OOMKilled}} restarts={{.RestartCount}}' \
    $("${compose[@]}" ps -q 2>/dev/null) >"$dir/containers.txt" 2>&1 || true
  cp "$workdir"/*.log "$workdir"/*.json "$dir/" 2>/dev/null || true
  { date -u +%FT%TZ; uptime; } >"$dir/when.txt"
  say "logs of the whole run: $dir"
}

cleanup() {
  local status=$?
  if [[ ${DEPLOY_TEST_KEEP:-0} == 1 ]]; then
    say "kept running: ${compose[*]}"
  else
    if ((status != 0)) || [[ ${DEPLOY_TEST_KEEP_LOGS:-0} == 1 ]]; then
      ((status == 0)) || "${compose[@]}" ps >&2 || true
      save_logs
    fi
    "${compose[@]}" down -v --remove-orphans >/dev/null 2>&1 || true
    rm -rf "$workdir"
  fi
  say "total $(($(date +%s) - t0)) s (exit $status)"
}
trap cleanup EXIT

"${compose[@]}" down -v --remove-orphans >/dev/null 2>&1 || true
say "starting the $profile profile"
t_up=$(date +%s)
timeout 1200 "${compose[@]}" up -d --quiet-pull 2>"$workdir/up.log" || { cat "$workdir/up.log" >&2; exit 1; }
for _ in $(seq 300); do
  curl -fsS -o /dev/null --max-time 5 "http://127.0.0.1:$port/api/3/action/status_show" && break
  sleep 1
done
curl -fsS -o /dev/null --max-time 5 "http://127.0.0.1:$port/api/3/action/status_show"
t_healthy=$(date +%s)
say "healthy $((t_healthy - t_up)) s after up"

ckan() { "${compose[@]}" exec -T web ckan -c /srv/app/ckan.ini "$@"; }
ckan smartregion demo >"$workdir/demo.log" 2>&1 || { tail -30 "$workdir/demo.log" >&2; exit 1; }
token=$(ckan user token add admin deploy-test 2>/dev/null | tail -1 | tr -d '[:space:]')
t_seeded=$(date +%s)
say "demo content loaded in $((t_seeded - t_healthy)) s"

check_args=(--token "$token" --threads "${DEPLOY_TEST_THREADS:-8}" --seconds "${DEPLOY_TEST_SECONDS:-60}")
[[ $profile == cluster ]] && check_args+=(--compose "${compose[*]}")
status=0
python3 "$here/deploy_check.py" "http://127.0.0.1:$port" "${check_args[@]}" >"$workdir/figures.json" || status=$?
cat "$workdir/figures.json"
cp "$workdir/figures.json" "/tmp/$project-figures.json"
say "build $((t_built - t0)) s, up to healthy $((t_healthy - t_up)) s, checks $(($(date +%s) - t_seeded)) s"
exit "$status"
