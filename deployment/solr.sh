# Solr 9 of the local stack: jars from Maven Central cached in the state folder, run by
# SolrRunner.java on Java 17, one core for the portal (ckan) and one for tests (ckan_test),
# both with CKAN's schema from the installed ckan package plus the portal's Czech and English
# analysis (deployment/solr/schema_smartregion.xml). Sourced by services.sh.

SOLR_DIR="$STATE/solr"
SOLR_LIB="$SOLR_DIR/lib-$SMARTREGION_SOLR_VERSION"
SOLR_CLASSES="$SOLR_DIR/classes"
SOLR_HOME="$SOLR_DIR/home"
SOLR_LOG="$LOG_DIR/solr.log"
SOLR_CORES=(ckan ckan_test)

solr_core_url() { echo "http://$SMARTREGION_HOST:$SMARTREGION_SOLR_PORT/solr/$1"; }

solr_install() {
  command -v java >/dev/null || die "Java is missing. Install it: apt-get install -y openjdk-17-jdk-headless"
  if [[ ! -f "$SOLR_LIB/solr-core-$SMARTREGION_SOLR_VERSION.jar" ]]; then
    command -v mvn >/dev/null || die "Maven is missing. Install it: apt-get install -y maven"
    say "downloading Solr $SMARTREGION_SOLR_VERSION from Maven Central (once)"
    mvn -q -B -f "$REPO_ROOT/deployment/solr/pom.xml" -Dsolr.version="$SMARTREGION_SOLR_VERSION" \
      dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$SOLR_LIB.partial" \
      >"$LOG_DIR/solr-install.log" 2>&1 || die_with_log "Maven could not fetch Solr" "$LOG_DIR/solr-install.log"
    rm -rf "$SOLR_LIB" && mv "$SOLR_LIB.partial" "$SOLR_LIB"
  fi
  local runner="$REPO_ROOT/deployment/solr/SolrRunner.java"
  if [[ ! -f "$SOLR_CLASSES/SolrRunner.class" || "$runner" -nt "$SOLR_CLASSES/SolrRunner.class" ]]; then
    mkdir -p "$SOLR_CLASSES"
    javac -d "$SOLR_CLASSES" -cp "$SOLR_LIB/*" "$runner"
  fi
}

# solr_write_core NAME: (re)write a core's configuration from CKAN's schema and ours.
solr_write_core() {
  local schema conf="$SOLR_HOME/$1/conf"
  schema=$("$SMARTREGION_VENV/bin/python" -c 'import ckan, os; print(os.path.join(os.path.dirname(ckan.__file__), "config/solr/schema.xml"))')
  [[ -f "$schema" ]] || die "CKAN's Solr schema is missing at $schema; run: make install"
  mkdir -p "$conf"
  # CKAN's schema plus the portal's Czech and English analysis (deployment/solr/portal_schema.py)
  "$SMARTREGION_VENV/bin/python" "$REPO_ROOT/deployment/solr/portal_schema.py" "$schema" "$conf" "$SOLR_LIB"
  cp "$REPO_ROOT/deployment/solr/solrconfig.xml" "$conf/solrconfig.xml"
  touch "$conf/synonyms.txt" "$conf/protwords.txt" "$conf/stopwords.txt"
}

# solr_write_configset: the configset "ckan" (same files) that `ckan smartregion reindex`
# creates its new core from; a running Solr reads it when it creates a core.
solr_write_configset() { solr_write_core configsets/ckan; }

# solr_swapped_in NAME: another folder's core.properties names the core (a reindex swapped it).
solr_swapped_in() {
  local file
  for file in "$SOLR_HOME"/*/core.properties; do
    [[ "$file" != "$SOLR_HOME/$1/core.properties" ]] && grep -qsx "name=$1" "$file" && return 0
  done
  return 1
}

# solr_configure_cores: every core in the Solr home (the two standard ones and any test
# slot's) gets its configuration rewritten before Solr starts. A standard core that a reindex
# swapped in lives in another folder whose core.properties names it: that one is kept.
solr_configure_cores() {
  local core dir
  mkdir -p "$SOLR_HOME"
  cp "$REPO_ROOT/deployment/solr/solr.xml" "$SOLR_HOME/solr.xml"
  solr_write_configset
  for core in "${SOLR_CORES[@]}"; do
    solr_swapped_in "$core" && continue
    solr_write_core "$core"
    printf 'name=%s\n' "$core" >"$SOLR_HOME/$core/core.properties"
  done
  for dir in "$SOLR_HOME"/*/core.properties; do solr_write_core "$(basename "$(dirname "$dir")")"; done
}

# solr_ensure_core NAME: add a core to the running Solr (a test slot's) if it is missing.
solr_ensure_core() {
  curl -fsS --max-time 5 "$(solr_core_url "$1")/select?q=*:*&rows=0" >/dev/null 2>&1 && return 0
  solr_write_core "$1"
  curl -fsS --max-time 60 "http://$SMARTREGION_HOST:$SMARTREGION_SOLR_PORT/solr/admin/cores?action=CREATE&name=$1&instanceDir=$1" \
    >>"$SOLR_LOG" 2>&1 || die_with_log "Solr could not create the core $1" "$SOLR_LOG"
  say "Solr core $1 created"
}

solr_ready() {
  local core
  for core in "${SOLR_CORES[@]}"; do
    curl -fsS --max-time 5 "$(solr_core_url "$core")/select?q=*:*&rows=0" >/dev/null || return 1
  done
}

solr_start() {
  if pid_alive solr && solr_ready; then
    # the configset only: the running cores keep theirs; `ckan smartregion reindex` builds a
    # new core from it and swaps it in (docs/i18n.md, docs/reindex.md)
    solr_write_configset
    say "Solr is already running on port $SMARTREGION_SOLR_PORT (configset ckan rewritten)"
    return 0
  fi
  require_free_port "$SMARTREGION_SOLR_PORT" Solr SOLR_
  solr_install
  solr_configure_cores
  start_daemon solr "$SOLR_LOG" java -Xms128m -Xmx"$SMARTREGION_SOLR_HEAP" \
    -Dhost="$SMARTREGION_HOST" -Djetty.host="$SMARTREGION_HOST" \
    -Dlog4j2.configurationFile="$REPO_ROOT/deployment/solr/log4j2.xml" \
    -Dsolr.install.dir="$SOLR_DIR" -Dsolr.log.dir="$LOG_DIR" \
    -cp "$SOLR_CLASSES:$SOLR_LIB/*" SolrRunner "$SOLR_HOME" "$SMARTREGION_SOLR_PORT"
  wait_for "$SMARTREGION_START_TIMEOUT" "$SOLR_LOG" Solr solr_ready
  say "Solr is up: $(solr_core_url ckan) and $(solr_core_url ckan_test)"
}

solr_stop() { pid_alive solr && { stop_daemon solr; say "Solr stopped"; }; return 0; }
