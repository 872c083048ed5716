"""Renders the ckan.ini and test.ini templates of deployment/ into the state folder.

Placeholders are dollar-brace names; each comes from the environment (deployment/stack.env sets the
defaults). A missing value stops with its name. The secret key is made once per state folder.
"""

from __future__ import annotations

import os
import secrets
import string
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _secret_key(state_dir: Path) -> str:
    path = state_dir / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


def render(template: Path, target: Path, values: dict[str, str]) -> None:
    try:
        text = string.Template(template.read_text()).substitute(values)
    except KeyError as missing:
        sys.exit(f"{template.name}: no value for {missing}; set it in the environment")
    target.write_text(text)


def main() -> None:
    state_dir = Path(os.environ["SMARTREGION_STATE_DIR"])
    values = dict(os.environ)
    values.setdefault("SMARTREGION_SECRET_KEY", _secret_key(state_dir))
    render(HERE / "ckan.ini.template", state_dir / "ckan.ini", values)
    render(HERE / "test.ini.template", state_dir / f"{values['SMARTREGION_TEST_NAME']}.ini", values)


if __name__ == "__main__":
    main()
