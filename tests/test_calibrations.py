"""An organisation's own effort figures: validated like overlays, chosen per profile, named in every answer."""
import pytest

from adapters.graph_files import load_knowledge_base
from advisor import KnowledgeBaseError, Profile, rank

CALIBRATION = '''id = "slow_change"
name = "Slow change control"
description = "Every rollout waits for a change board."

[layers.guest_os]
hours_per_month = 25
hours_basis = "assumption: the fixture's 10 hours plus a change board for each monthly rollout, 15 hours"
'''


def with_calibration(folder, text=CALIBRATION):
    (folder / "calibrations").mkdir(exist_ok=True)
    (folder / "calibrations" / "slow_change.toml").write_text(text)
    return folder


def test_a_calibration_replaces_the_hours_of_the_layers_it_names(fixture_graph_copy):
    kb = load_knowledge_base(with_calibration(fixture_graph_copy))
    default = {r.service: r for r in rank(kb, Profile(100, 2, "low", "standard")).ranking}
    calibrated = {r.service: r for r in rank(kb, Profile(100, 2, "low", "standard", calibration="slow_change")).ranking}
    for sid, entry in default.items():
        share = kb.views[sid].ownership["guest_os"].team_share
        assert calibrated[sid].burden_hours_per_month == pytest.approx(entry.burden_hours_per_month + 15 * share)
    assert rank(kb, Profile(100, 2, "low", "standard", calibration="slow_change")).calibration == {
        "id": "slow_change", "name": "Slow change control", "description": "Every rollout waits for a change board."}


@pytest.mark.parametrize("old, new, field, fragment", [
    ("[layers.guest_os]", "[layers.kernel]", "layers.kernel", "unknown layer 'kernel'"),
    ('hours_basis = "assumption:', 'hours_basis = "guess:', "layers.guest_os.hours_basis", "assumption"),
    ("hours_per_month = 25", "hours_per_month = -1", "layers.guest_os.hours_per_month", "greater than or equal"),
    ('id = "slow_change"', 'id = "Slow Change"', "id", "lower-case"),
])
def test_a_bad_calibration_stops_the_load_naming_its_file_and_field(fixture_graph_copy, old, new, field, fragment):
    with_calibration(fixture_graph_copy, CALIBRATION.replace(old, new))
    with pytest.raises(KnowledgeBaseError) as info:
        load_knowledge_base(fixture_graph_copy)
    assert (info.value.file, info.value.field) == ("calibrations/slow_change.toml", field)
    assert fragment in info.value.message


def test_an_unknown_calibration_is_a_422_naming_the_field(fixture_client, profile):
    response = fixture_client.post("/api/v1/recommendations", json={**profile, "calibration": "nobody_has_this"})
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"calibration"}


def test_the_report_names_the_calibration_it_was_made_with(fixture_graph_copy, make_app, tmp_path, profile):
    app = make_app(GRAPH_DATA=str(with_calibration(fixture_graph_copy)),
                   DATABASE_URL=f"sqlite:///{tmp_path / 'c.sqlite3'}")
    client = app.test_client()
    saved = client.post("/api/v1/assessments", json={**profile, "calibration": "slow_change"}).get_json()
    assert saved["recommendation"]["calibration"]["name"] == "Slow change control"
    page = client.get(saved["links"]["report_html"], headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "Slow change control" in page
    assert "Slow change control" in client.get(saved["links"]["report_markdown"]).get_data(as_text=True)
