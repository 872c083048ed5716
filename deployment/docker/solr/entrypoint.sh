#!/usr/bin/env bash
# Entrypoint of the Solr image; SOLR_MODE picks what the container runs:
#   standalone   one Solr with the core `ckan` (CKAN's schema) under /var/solr/home
#   cloud        a SolrCloud node; ZK_HOST=zk1:2181,zk2:2181,zk3:2181
#   zookeeper    a ZooKeeper server; ZK_ID=1..n, ZK_SERVERS="zk1 zk2 zk3" (the ensemble, in id order)
#   cloud-init   one-shot: waits for SOLR_NODES live nodes, uploads the configset `ckan`,
#                creates the collection COLLECTION_1 (SHARDS x REPLICAS) and the alias
#                COLLECTION naming it, unless the alias exists (`ckan smartregion reindex`
#                fills a new collection and moves the alias); SOLR_URL=http://solr1:8983/solr
set -euo pipefail

lib="/opt/solr/lib/*"
conf=/opt/solr/conf
home=/var/solr/home
java_opts=(-XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -Dlog4j2.configurationFile="$conf/log4j2.xml"
  -Dsolr.install.dir=/opt/solr -Dsolr.log.dir=/var/solr)

# SolrRunner's embedded Jetty (JettySolrRunner) listens on 127.0.0.1 only and advertises the
# port it listens on, so socat forwards port 8983 of the container's own addresses to it
# (plain TCP: HTTP/1.1 and Solr's inter-node HTTP/2 alike).
# The forward opens only once the node is up (SolrCloud: live in ZooKeeper; a query it gets
# while its own replicas recover goes to active ones), so a balancer gets "connection refused"
# from a starting node and tries the next one.
run_solr() {
  local ready='http://127.0.0.1:8983/solr/ckan/select?q=*:*&rows=0'
  [[ $SOLR_MODE == cloud ]] && ready='http://127.0.0.1:8983/solr/admin/info/health'
  (
    until curl -fsS -o /dev/null --max-time 5 "$ready"; do sleep 1; done
    for ip in $(hostname -i); do
      [[ $ip == 127.* || $ip == *:* ]] && continue
      socat "TCP-LISTEN:8983,bind=$ip,fork,reuseaddr,backlog=256" TCP:127.0.0.1:8983 &
    done
    wait
  ) &
  exec java -Xms128m -Xmx"$SOLR_HEAP" "${java_opts[@]}" "$@" \
    -cp "/opt/solr/classes:$lib" SolrRunner "$home" 8983
}

case "${SOLR_MODE:-standalone}" in
standalone)
  # The configuration is rewritten on every start, as deployment/solr.sh does for the local stack.
  mkdir -p "$home/ckan"
  cp "$conf/solr.xml" "$home/solr.xml"
  rm -rf "$home/ckan/conf" && cp -r /opt/solr/configsets/ckan/conf "$home/ckan/conf"
  printf 'name=ckan\n' >"$home/ckan/core.properties"
  run_solr
  ;;
cloud)
  : "${ZK_HOST:?set ZK_HOST, e.g. zk1:2181,zk2:2181,zk3:2181}"
  mkdir -p "$home"
  cp "$conf/solr-cloud.xml" "$home/solr.xml"
  run_solr -DzkHost="$ZK_HOST" -Dhost="${SOLR_HOST:-$(hostname)}" -DhostPort=8983 -DhostContext=solr
  ;;
zookeeper)
  : "${ZK_ID:?set ZK_ID}" "${ZK_SERVERS:?set ZK_SERVERS}"
  data=/var/solr/zookeeper
  mkdir -p "$data"
  echo "$ZK_ID" >"$data/myid"
  {
    printf 'tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=%s\nclientPort=2181\n' "$data"
    printf 'autopurge.snapRetainCount=3\nautopurge.purgeInterval=1\n4lw.commands.whitelist=ruok,mntr,srvr,conf\n'
    printf 'admin.enableServer=false\nquorumListenOnAllIPs=true\n'
    id=1
    for server in $ZK_SERVERS; do
      printf 'server.%d=%s:2888:3888\n' "$id" "$server"
      id=$((id + 1))
    done
  } >"$data/zoo.cfg"
  exec java -Xms64m -Xmx"$ZK_HEAP" "${java_opts[@]}" -Dzookeeper.jmx.log4j.disable=true \
    -cp "$lib" org.apache.zookeeper.server.quorum.QuorumPeerMain "$data/zoo.cfg"
  ;;
cloud-init)
  solr=${SOLR_URL:-http://solr1:8983/solr}
  collection=${COLLECTION:-ckan}
  nodes=${SOLR_NODES:-3}
  for _ in $(seq 120); do
    live=$(curl -fsS "$solr/admin/collections?action=CLUSTERSTATUS&wt=json" 2>/dev/null \
      | grep -o '"live_nodes":\[[^]]*\]' | grep -o '_solr' | wc -l || true)
    ((live >= nodes)) && break
    sleep 2
  done
  ((live >= nodes)) || { echo "cloud-init: only $live of $nodes Solr nodes are live" >&2; exit 1; }
  if curl -fsS "$solr/admin/collections?action=LISTALIASES&wt=json" | grep -q "\"$collection\""; then
    echo "cloud-init: alias $collection exists"
    exit 0
  fi
  if curl -fsS "$solr/admin/collections?action=LIST&wt=json" | grep -q "\"$collection\""; then
    echo "cloud-init: $collection is a collection (an older volume), not an alias; search works," \
      "ckan smartregion reindex refuses: CREATEALIAS name=${collection}_live" \
      "collections=$collection and point CKAN_SOLR_URL at it" >&2
    exit 0
  fi
  if ! curl -fsS "$solr/admin/configs?action=LIST&wt=json" | grep -q '"ckan"'; then
    (cd /opt/solr/configsets/ckan-cloud/conf && zip -q -r /tmp/ckan-configset.zip .)
    curl -fsS -X POST -H 'Content-Type: application/octet-stream' --data-binary @/tmp/ckan-configset.zip \
      "$solr/admin/configs?action=UPLOAD&name=ckan" >/dev/null
    echo "cloud-init: configset ckan uploaded"
  fi
  curl -fsS "$solr/admin/collections?action=CREATE&name=${collection}_1&collection.configName=ckan&numShards=${SHARDS:-2}&replicationFactor=${REPLICAS:-2}&waitForFinalState=true&wt=json" >/dev/null
  curl -fsS "$solr/admin/collections?action=CREATEALIAS&name=$collection&collections=${collection}_1&wt=json" >/dev/null
  echo "cloud-init: collection ${collection}_1 created (${SHARDS:-2} shards x ${REPLICAS:-2} replicas), alias $collection"
  ;;
*)
  echo "SOLR_MODE must be standalone, cloud, zookeeper or cloud-init" >&2
  exit 2
  ;;
esac
