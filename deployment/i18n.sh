#!/usr/bin/env bash
# The portal's message catalogue (ckanext-smartregion/ckanext/smartregion/i18n/):
#   bash deployment/i18n.sh extract   the .pot from the code and templates (babel.cfg), then
#                                     the cs_CZ and en .po files updated from it
#   bash deployment/i18n.sh compile   the .mo files from the .po files
# The .mo files are committed (the wheel and the tests need no build step);
# tests/i18n/test_catalogue.py fails when a .mo differs from its .po or a message lacks Czech.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${SMARTREGION_VENV:-.venv}"
DIR=ckanext-smartregion/ckanext/smartregion/i18n
DOMAIN=ckanext-smartregion
LOCALES=(cs_CZ en)

case "${1:-}" in
  extract)
    "$VENV/bin/pybabel" extract -F babel.cfg -k N_ -k ngettext_:1,2 -k gettext_ --sort-by-file --no-wrap \
      --project ckanext-smartregion --copyright-holder "Liberecký kraj" \
      -o "$DIR/$DOMAIN.pot" ckanext-smartregion harvesters
    for locale in "${LOCALES[@]}"; do
      if [[ -f "$DIR/$locale/LC_MESSAGES/$DOMAIN.po" ]]; then
        "$VENV/bin/pybabel" update --no-fuzzy-matching --no-wrap -D "$DOMAIN" -i "$DIR/$DOMAIN.pot" -d "$DIR" -l "$locale"
      else
        "$VENV/bin/pybabel" init --no-wrap -D "$DOMAIN" -i "$DIR/$DOMAIN.pot" -d "$DIR" -l "$locale"
      fi
    done
    ;;
  compile)
    for locale in "${LOCALES[@]}"; do
      "$VENV/bin/pybabel" compile -D "$DOMAIN" -d "$DIR" -l "$locale"
    done
    ;;
  *) echo "usage: bash deployment/i18n.sh extract|compile" >&2; exit 2 ;;
esac
