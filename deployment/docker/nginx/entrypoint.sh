#!/usr/bin/env bash
# Entrypoint of the nginx image: writes the site from the environment, then runs nginx.
#   NGINX_UPSTREAMS   "web1:5000 web2:5000" (the servers of the one upstream)
#   NGINX_ROLE        web (default): the portal on port 80, idempotent requests retried on the
#                     next server when one is down; solr: a plain balancer on port 8983
#   NGINX_ACCESS_LOG  off (default) or on: one line per request with every upstream tried, its
#                     status, connect and response times (what a failed request went through)
set -euo pipefail

: "${NGINX_UPSTREAMS:?set NGINX_UPSTREAMS, e.g. web1:5000 web2:5000}"
servers=""
for server in $NGINX_UPSTREAMS; do
  servers+="    server $server max_fails=1 fail_timeout=5s;"$'\n'
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
exec nginx -g 'daemon off;'
