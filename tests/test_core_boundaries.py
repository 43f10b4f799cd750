"""The core imports no web framework and no validation library."""
import subprocess
import sys


def test_importing_the_core_loads_no_flask_werkzeug_or_marshmallow():
    code = ("import sys, advisor, advisor.ranking, advisor.scoring, advisor.knowledge, advisor.snapshot,"
            " advisor.export, advisor.rerun, advisor.staleness, advisor.robustness, advisor.compare,"
            " advisor.iac, advisor.iac.terraform, advisor.iac.cloudformation, advisor.iac.kubernetes;"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in {'flask', 'werkzeug', 'marshmallow'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
