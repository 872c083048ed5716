#!/usr/bin/env bash
# `make bench`: runs the benchmarks of bench/ against the portal `make run` serves.
. "$(dirname "$0")/lib.sh"
curl -fsS --max-time 5 "$SMARTREGION_SITE_URL/api/3/action/status_show" >/dev/null \
  || die "the portal is not running at $SMARTREGION_SITE_URL; start it with: make run"
"$SMARTREGION_VENV/bin/python" "$REPO_ROOT/bench/api_latency.py" --url "$SMARTREGION_SITE_URL" "$@"
