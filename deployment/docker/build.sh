#!/usr/bin/env bash
# Builds the portal's images from this tree: debian:bookworm-slim (base-image.sh, when it is
# missing), then smartregion/{solr,postgres,redis,nginx,ckan}:$TAG. Prints each build's time
# and the image sizes. Usage: deployment/docker/build.sh [IMAGE...]  (default: all)
# BUILD_REF=<git ref> builds from that commit (git archive) instead of the work tree: a shared
# work tree holds other people's unfinished edits, a clean clone (CI) does not need it.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tag=${TAG:-local}
images=("$@")
((${#images[@]})) || images=(solr postgres redis nginx ckan)

bash "$here/base-image.sh"
# The classic builder: Debian's docker.io has no buildx plugin.
export DOCKER_BUILDKIT=0
# A network that re-signs TLS (a proxy with its own certificate authority) needs that authority
# in the build stages that download; the final images do not get it.
extra_ca=""
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  extra_ca=$(cat /usr/local/share/ca-certificates/*.crt | base64 -w0)
fi

context=$root
if [[ -n ${BUILD_REF:-} ]]; then
  context=$(mktemp -d /tmp/smartregion-build-context.XXXXXX)
  trap 'rm -rf "$context"' EXIT
  git -C "$root" archive "$BUILD_REF" | tar -x -C "$context"
  echo "build: from $(git -C "$root" rev-parse --short "$BUILD_REF") ($BUILD_REF), not the work tree"
fi

for image in "${images[@]}"; do
  start=$(date +%s)
  log=$(mktemp /tmp/smartregion-build-$image.XXXXXX)
  args=(--build-arg "BASE_IMAGE=${BASE_IMAGE:-debian:bookworm-slim}")
  [[ $image == solr || $image == ckan ]] && args+=(--build-arg "EXTRA_CA_CERTS_B64=$extra_ca")
  if ! docker build "${args[@]}" -f "$context/deployment/docker/$image/Dockerfile" -t "smartregion/$image:$tag" "$context" >"$log" 2>&1; then
    echo "build: smartregion/$image failed; last lines of $log:" >&2
    tail -30 "$log" >&2
    exit 1
  fi
  rm -f "$log"
  echo "build: smartregion/$image:$tag in $(($(date +%s) - start)) s"
done
docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E "^smartregion/.*:$tag " | sed 's/^/build: size /'
