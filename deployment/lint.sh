#!/usr/bin/env bash
# make lint: ruff (errors and formatting) and mypy over the code; exits non-zero on any finding.
# mypy cannot map folders onto packages as setup.py does (harvesters/ and schemas/ live under
# ckanext.smartregion), so it checks a tree of links laid out as Python sees the installed
# package; its findings are printed with the paths of the source tree.
. "$(dirname "$0")/lib.sh"

PATHS=(ckanext-smartregion harvesters tests bench deployment)
cd "$REPO_ROOT"
[[ -x "$SMARTREGION_VENV/bin/mypy" ]] || die "mypy is missing from $SMARTREGION_VENV: run make install"
started=$SECONDS
"$SMARTREGION_VENV/bin/ruff" check "${PATHS[@]}"
"$SMARTREGION_VENV/bin/ruff" format --check "${PATHS[@]}"

tree="$STATE/typecheck"
rm -rf "$tree"
mkdir -p "$tree/ckanext/smartregion"
for entry in ckanext-smartregion/ckanext/smartregion/*; do
  ln -s "$REPO_ROOT/$entry" "$tree/ckanext/smartregion/"
done
ln -s "$REPO_ROOT/harvesters" "$tree/ckanext/smartregion/harvesters"
ln -s "$REPO_ROOT/schemas" "$tree/ckanext/smartregion/schemas"
ln -s "$REPO_ROOT/tests" "$tree/tests"
ln -s "$REPO_ROOT/bench" "$tree/bench"
(
  cd "$tree"
  "$SMARTREGION_VENV/bin/mypy" --config-file "$REPO_ROOT/pyproject.toml" \
    --python-executable "$SMARTREGION_VENV/bin/python" --cache-dir "$STATE/mypy_cache" \
    -p ckanext.smartregion -p tests -p bench
) | sed -e 's#^ckanext/smartregion/harvesters/#harvesters/#' \
  -e 's#^ckanext/smartregion/schemas/#schemas/#' \
  -e 's#^ckanext/smartregion/#ckanext-smartregion/ckanext/smartregion/#'
say "lint clean in $((SECONDS - started)) s"
