"""The core imports no web framework and no validation library; the web layer's modules keep to their parts."""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parent.parent / "web"
# One blueprint per interface; each reaches the others' work through the application service only. (The
# sign-in and metrics modules serve every interface, as the security headers do, and are not counted here.)
BLUEPRINTS = {"api", "apidocs", "assessments", "iac_api", "pages", "reports"}


def test_importing_the_core_loads_no_flask_werkzeug_or_marshmallow():
    code = ("import sys, advisor, advisor.ranking, advisor.scoring, advisor.knowledge, advisor.snapshot,"
            " advisor.export, advisor.rerun, advisor.staleness, advisor.robustness, advisor.compare, advisor.service,"
            " advisor.owners,"
            " advisor.iac, advisor.iac.terraform, advisor.iac.cloudformation, advisor.iac.kubernetes;"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in {'flask', 'werkzeug', 'marshmallow'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def web_imports(module: str) -> set[str]:
    """The web modules a web module imports (relative or as web.<name>)."""
    tree = ast.parse((WEB / f"{module}.py").read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 and node.module:
                found.add(node.module.split(".")[0])
            elif node.level == 1:
                found.update(alias.name for alias in node.names)
            elif node.module and node.module.startswith("web."):
                found.add(node.module.split(".")[1])
    return found


@pytest.mark.parametrize("blueprint", sorted(BLUEPRINTS))
def test_no_blueprint_imports_another(blueprint):
    assert web_imports(blueprint) & (BLUEPRINTS - {blueprint}) == set()


@pytest.mark.parametrize("path", sorted(WEB.glob("*.py")), ids=lambda p: p.name)
def test_the_web_layer_never_decodes_owner_codes(path):
    """Owner and actor codes ("party:<id>", a comparison's "aws+party:<id>") are read and written by advisor.owners."""
    text = path.read_text()
    assert '"party:' not in text and "'party:" not in text and "+party" not in text and "acts.split" not in text
