"""`kb check` on hostile knowledge-base files: refused quickly, by file and field, never a traceback or a
number that later prints as Infinity or NaN."""
import re
import time

import pytest

BOMB = "a" + ".a" * 50_000 + " = 1\n"  # 100 KB; minutes and gigabytes for the TOML parser


def check(runner, fixture_graph_copy):
    started = time.monotonic()
    result = runner.invoke(args=["kb", "check", "--path", str(fixture_graph_copy)])
    return result, time.monotonic() - started


@pytest.mark.parametrize("name, text, message", [
    ("dotted-key bomb", BOMB, "a key of more than 16 dotted parts"),
    ("100,000-deep arrays", "x = " + "[" * 100_000 + "]" * 100_000 + "\n", "nested more than 32 levels deep"),
    ("a file over the size cap", "# " + "x" * 300_000 + "\n", "larger than the 256 KB"),
])
def test_a_hostile_service_file_is_refused_quickly_naming_the_file(fixture_runner, fixture_graph_copy, name, text,
                                                                   message):
    runner = fixture_runner
    target = fixture_graph_copy / "services" / "machines.toml"
    target.write_text(text + target.read_text())  # top-level keys go before the first table
    result, took = check(runner, fixture_graph_copy)
    assert result.exit_code == 1, name
    assert "services/machines.toml" in result.output and message in result.output, result.output[:300]
    assert "Traceback" not in result.output and took < 5, (name, took)


@pytest.mark.parametrize("value", ["1e308", "inf", "nan", "-2e9"])
def test_a_number_out_of_bounds_is_a_file_and_field_error(fixture_runner, fixture_graph_copy, value):
    runner = fixture_runner
    layers = fixture_graph_copy / "layers.toml"
    text, count = re.subn(r"hours_per_month = [0-9.]+", f"hours_per_month = {value}", layers.read_text(), count=1)
    assert count == 1
    layers.write_text(text)
    result, _ = check(runner, fixture_graph_copy)
    assert result.exit_code == 1
    assert "layers.toml: layers[0].hours_per_month" in result.output
    assert "Infinity" not in result.output and "NaN" not in result.output
