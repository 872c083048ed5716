#!/usr/bin/env bash
# Entrypoint of the nginx image: writes the site from the environment, then runs nginx.
#   NGINX_UPSTREAMS   "web1:5000 web2:5000" (the servers of the one upstream)
#   NGINX_ROLE        web (default): the portal on port 80, idempotent requests retried on the
#                     next server when one is down; solr: a plain balancer on port 8983
#   NGINX_RESOLVE_INTERVAL  seconds between look-ups of the upstream names (2)
#   NGINX_ACCESS_LOG  off (default) or on: one line per request with every upstream tried, its
#                     status, connect and response times (what a failed request went through)
set -euo pipefail

: "${NGINX_UPSTREAMS:?set NGINX_UPSTREAMS, e.g. web1:5000 web2:5000}"
servers=""
for server in $NGINX_UPSTREAMS; do
  servers+="    server $server max_fails=3 fail_timeout=5s;"$'\n'
done
log="access_log off;"
[[ ${NGINX_ACCESS_LOG:-off} == on ]] && log="access_log /var/log/nginx/access.log upstreams;"

if [[ ${NGINX_ROLE:-web} == solr ]]; then
  listen=8983
  extra="client_max_body_size 512m; proxy_read_timeout 600s;"
else
  listen=80
  extra="client_max_body_size ${NGINX_MAX_BODY:-100m}; proxy_read_timeout 120s;"
fi

cat >/etc/nginx/conf.d/site.conf <<CONF
log_format upstreams '\$time_iso8601 \$status \$request_time "\$request" '
                     'up=\$upstream_addr st=\$upstream_status ct=\$upstream_connect_time '
                     'rt=\$upstream_response_time';
upstream backend {
$servers    keepalive 32;
    # Idle upstream connections close before gunicorn's (--keep-alive 2 s) would, so nginx
    # never reuses one the server is closing (an error that counts against the server).
    keepalive_timeout 1s;
}
server {
    listen $listen default_server;
    server_tokens off;
    $log
    $extra
    location = /nginx-health { access_log off; return 200 "ok\n"; }
    location / {
        proxy_pass http://backend;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host \$http_host;
        proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto \$scheme;
        proxy_connect_timeout 2s;
        proxy_next_upstream error timeout http_502 http_503 http_504;
        proxy_next_upstream_tries 3;
    }
}
CONF
# nginx resolves the upstream names once, when it loads this configuration. A container that
# is stopped and started again can come back with another address (Docker gives a freed address
# to the next container that starts: a restarted solr2 got web2's old one, and this balancer
# kept sending solr2's share to web2), so a watcher reloads nginx (gracefully: workers finish
# their requests) when the names resolve to other addresses. While a name does not resolve
# (its container is stopped), the last configuration stays.
addresses() {
  local server ip out=""
  for server in $NGINX_UPSTREAMS; do
    ip=$(getent hosts "${server%:*}" | awk 'NR == 1 {print $1}')
    [[ -n $ip ]] || return 1
    out+="$server=$ip "
  done
  echo "$out"
}
watch_addresses() {
  local last now
  last=$(addresses || true)
  while sleep "${NGINX_RESOLVE_INTERVAL:-2}"; do
    now=$(addresses) || continue
    [[ $now != "$last" ]] || continue
    if nginx -s reload 2>/dev/null; then
      echo "nginx: upstream addresses changed, reloaded: $now" >&2
      last=$now
    fi
  done
}
watch_addresses &
exec nginx -g 'daemon off;'
