"""`advise` on hostile paths: no report lost to another's name, no symlink followed, no FIFO or device read,
no oversized file loaded, every skipped entry reported, and no control character printed raw."""
import json
import os
import threading

import pytest


@pytest.fixture
def runner(fixture_runner):
    """advise on the fixture knowledge base."""
    return fixture_runner


@pytest.fixture
def good(profile):
    return json.dumps(profile)


def run(runner, *args):
    return runner.invoke(args=["advise", *map(str, args)])


def test_inputs_that_would_share_an_output_name_each_get_their_own_report(runner, tmp_path, good):
    """F11: a/x.json, b/x.json and c/x-2.json once gave x.json, x-2.json and x-2.json again."""
    for folder, name in (("a", "x.json"), ("b", "x.json"), ("c", "x-2.json")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / name).write_text(good)
    out = tmp_path / "out"
    result = run(runner, tmp_path / "a", tmp_path / "b", tmp_path / "c", "--format", "json", "--output", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["x-2-2.json", "x-2.json", "x.json"]


def test_a_symlink_in_the_output_folder_is_not_followed(runner, tmp_path, good):
    (tmp_path / "p.json").write_text(good)
    (tmp_path / "q.json").write_text(good)
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    out = tmp_path / "out"
    out.mkdir()
    (out / "p.txt").symlink_to(precious)
    result = run(runner, tmp_path / "p.json", tmp_path / "q.json", "--output", out)
    assert result.exit_code == 1
    assert precious.read_text() == "keep me"
    assert "symbolic link" in result.output and (out / "q.txt").is_file()


def test_a_fifo_a_device_and_an_oversized_file_are_refused_with_a_message(runner, tmp_path, good):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    big = tmp_path / "big.json"
    big.write_text('{"name": "' + "x" * 2_000_000 + '"}')
    outcome = {}
    worker = threading.Thread(target=lambda: outcome.update(r=run(runner, fifo)), daemon=True)
    worker.start()
    worker.join(10)
    assert not worker.is_alive(), "advise hung on a FIFO"
    assert outcome["r"].exit_code == 1 and "named pipe" in outcome["r"].output
    device = run(runner, "/dev/zero")
    assert device.exit_code == 1 and "a device" in device.output and "Traceback" not in device.output
    oversized = run(runner, big)
    assert oversized.exit_code == 1 and "larger than the 1,000,000 bytes" in oversized.output


def test_every_skipped_entry_in_a_folder_is_reported(runner, tmp_path, good):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ok.json").write_text(good)
    (folder / "dangling.json").symlink_to(tmp_path / "nowhere")
    os.mkfifo(folder / "pipe.json")
    (folder / "dir.json").mkdir()
    result = run(runner, folder, "--output", tmp_path / "out")
    assert result.exit_code == 1
    for name, why in (("dangling.json", "a link to nothing"), ("pipe.json", "a named pipe"),
                      ("dir.json", "a folder")):
        assert f"{folder / name}: skipped: {why}" in result.output
    assert (tmp_path / "out" / "ok.txt").is_file()


def test_control_characters_in_names_are_escaped_when_printed(runner, tmp_path, good):
    folder = tmp_path / "in"
    folder.mkdir()
    evil = folder / "\x1b[31mred\u202e.json"
    evil.write_text("{not json")
    result = run(runner, folder, "--output", tmp_path / "out")
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\u202e" not in result.output
    assert "\\x1b[31mred\\u202e.json" in result.output
