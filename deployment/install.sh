#!/usr/bin/env bash
# Installs what the portal needs on this machine: Debian packages (PostgreSQL, Redis, Java,
# Maven), the Python virtualenv with the pinned platform and this extension (editable), and
# the Solr jars. Idempotent: a second run checks and returns in seconds.
. "$(dirname "$0")/lib.sh"
. "$REPO_ROOT/deployment/solr.sh"

install_system_packages() {
  local missing=()
  ls -d /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v java >/dev/null || missing+=(openjdk-17-jdk-headless)
  command -v javac >/dev/null || missing+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null || missing+=(maven)
  command -v curl >/dev/null || missing+=(curl)
  command -v runuser >/dev/null || missing+=(util-linux)
  command -v npm >/dev/null || missing+=(npm)
  # WeasyPrint (report PDFs) draws text with Pango; DejaVu has every Czech glyph.
  dpkg -s libpango-1.0-0 >/dev/null 2>&1 || missing+=(libpango-1.0-0)
  dpkg -s libpangoft2-1.0-0 >/dev/null 2>&1 || missing+=(libpangoft2-1.0-0)
  dpkg -s fonts-dejavu-core >/dev/null 2>&1 || missing+=(fonts-dejavu-core)
  # Browser tests (tests/browser): Debian's headless Chromium, driven by Playwright's bundled driver.
  command -v chromium >/dev/null || missing+=(chromium)
  [[ ${#missing[@]} -eq 0 ]] && return 0
  if [[ $EUID -ne 0 ]] || ! command -v apt-get >/dev/null; then
    die "missing system packages: ${missing[*]}
  Install them as root: apt-get update && apt-get install -y ${missing[*]}"
  fi
  say "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >"$LOG_DIR/apt.log" 2>&1 || die_with_log "apt-get update failed" "$LOG_DIR/apt.log"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$LOG_DIR/apt.log" 2>&1 \
    || die_with_log "apt-get install failed" "$LOG_DIR/apt.log"
  # Debian starts the packaged services; the stack runs its own instances, so stop those.
  systemctl disable --now redis-server postgresql >/dev/null 2>&1 || true
}

install_python() {
  local stamp="$SMARTREGION_VENV/.smartregion-installed" digest
  digest=$(cat requirements/*.txt setup.py pyproject.toml | sha256sum | cut -d' ' -f1)
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$digest" ]]; then return 0; fi
  if [[ ! -x "$SMARTREGION_VENV/bin/python" ]]; then
    say "creating the virtualenv $SMARTREGION_VENV"
    "$SMARTREGION_PYTHON" -m venv "$SMARTREGION_VENV"
  fi
  say "installing the pinned Python packages (log: $LOG_DIR/pip.log)"
  "$SMARTREGION_VENV/bin/pip" install -q --upgrade pip==26.3 setuptools==84.2.1 wheel==0.48.0 >"$LOG_DIR/pip.log" 2>&1 \
    || die_with_log "pip could not upgrade itself" "$LOG_DIR/pip.log"
  "$SMARTREGION_VENV/bin/pip" install -c requirements/constraints.txt -r requirements/dev.txt -e . \
    >>"$LOG_DIR/pip.log" 2>&1 || die_with_log "pip install failed" "$LOG_DIR/pip.log"
  echo "$digest" >"$stamp"
}

# install_assets: front-end libraries from npm (package-lock.json) into the extension's
# assets, so the portal serves them itself; nothing is loaded from a CDN at run time.
install_assets() {
  local vendor="$REPO_ROOT/ckanext-smartregion/ckanext/smartregion/assets/vendor"
  local stamp="$vendor/.installed" digest
  digest=$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)
  # axe-core stays in node_modules, where the browser tests inject it from.
  [[ -f "$stamp" && "$(cat "$stamp")" == "$digest" && -f node_modules/axe-core/axe.min.js ]] && return 0
  command -v npm >/dev/null || die "npm is missing. Install it: apt-get install -y nodejs npm"
  say "installing the front-end libraries (npm ci)"
  npm ci --omit=dev --no-audit --no-fund >"$LOG_DIR/npm.log" 2>&1 || die_with_log "npm ci failed" "$LOG_DIR/npm.log"
  mkdir -p "$vendor"
  cp node_modules/chart.js/dist/chart.umd.min.js "$vendor/chart.umd.min.js"
  echo "$digest" >"$stamp"
}

cd "$REPO_ROOT"
install_system_packages
install_assets
install_python
solr_install
say "installed"
