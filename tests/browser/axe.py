"""axe-core (npm, node_modules/axe-core) injected into a page: the WCAG 2.1 A/AA rules, results
saved as JSON beside the screenshots, violations split by impact."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import REPO_ROOT

AXE_SCRIPT = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


@dataclass
class AxeReport:
    url: str
    violations: list[dict]

    @property
    def blocking(self) -> list[dict]:
        return [v for v in self.violations if v.get("impact") in BLOCKING_IMPACTS]

    @property
    def minor(self) -> list[dict]:
        return [v for v in self.violations if v.get("impact") not in BLOCKING_IMPACTS]


def describe(violations: list[dict]) -> str:
    """One line per rule and up to three offending elements, for the test output."""
    lines = []
    for violation in violations:
        lines.append(
            f"  [{violation.get('impact')}] {violation['id']}: {violation['help']} "
            f"({len(violation['nodes'])}×)"
        )
        for node in violation["nodes"][:3]:
            lines.append(f"      {' '.join(node['target'])}: {node['html'][:140]}")
    return "\n".join(lines)


def run_axe(page, results_file: Path) -> AxeReport:
    """Runs axe-core over the page as it is now and saves the full results to results_file."""
    if not AXE_SCRIPT.exists():
        raise RuntimeError(
            f"{AXE_SCRIPT} is missing: axe-core comes from npm (package.json). "
            "Run deployment/install.sh (it runs `npm ci`)."
        )
    # Evaluated, not added as a <script> element: the portal's CSP refuses inline scripts.
    page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8") + "\n;undefined")
    results = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags},
                                     resultTypes: ['violations']})""",
        WCAG_TAGS,
    )
    results_file.parent.mkdir(parents=True, exist_ok=True)
    results_file.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return AxeReport(url=page.url, violations=results["violations"])
