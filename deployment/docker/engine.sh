#!/usr/bin/env bash
# Makes a Docker engine available: installs Debian's docker.io, docker-compose and debootstrap
# when they are missing and starts dockerd (as root, overlay2) when nothing answers on its
# socket. Idempotent: with a running engine it returns at once. Used by `make deploy-test`.
set -euo pipefail

log=${DOCKERD_LOG:-/var/log/smartregion-dockerd.log}

need=()
command -v dockerd >/dev/null || need+=(docker.io)
command -v docker-compose >/dev/null || need+=(docker-compose)
command -v debootstrap >/dev/null || need+=(debootstrap)
if ((${#need[@]})); then
  echo "engine: installing ${need[*]} from Debian"
  [[ $(id -u) == 0 ]] || { echo "engine: run as root to install ${need[*]}" >&2; exit 1; }
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if docker info >/dev/null 2>&1; then
  exit 0
fi
[[ $(id -u) == 0 ]] || { echo "engine: dockerd is not running; start it as root" >&2; exit 1; }
echo "engine: starting dockerd (log: $log)"
nohup dockerd --storage-driver overlay2 >>"$log" 2>&1 &
for _ in $(seq 60); do
  docker info >/dev/null 2>&1 && { echo "engine: dockerd is up"; exit 0; }
  sleep 1
done
echo "engine: dockerd did not start; last lines of $log:" >&2
tail -20 "$log" >&2
exit 1
