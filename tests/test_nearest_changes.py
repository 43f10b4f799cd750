"""The nearest changes a no-fit warning names: each says, in words and in fields, what the team would accept."""
from adapters.graph_files import load_knowledge_base
from advisor import Profile, rank

SERVICES = ("functions", "tasks", "machines", "cluster")


def _fewer_needs(kb, profile):
    warnings = rank(kb, profile).as_dict()["warnings"]
    changes = [c for w in warnings for c in w.get("nearest_changes", []) if c["kind"] == "fewer_needs"]
    assert len(changes) == 1, warnings
    return changes[0]


def test_accepting_less_customisation_is_named_by_its_level(fixture_kb):
    change = _fewer_needs(fixture_kb, Profile(5, 0, "medium", "standard", services=SERVICES))
    assert change["service"] == "functions" and change["customisation"] == "low"
    assert change["sentence"].startswith("With low customisation accepted, Functions would fit")
    assert "isolation_with_extra_work" not in change


def test_accepting_isolation_with_extra_work_says_so_in_a_field(fixture_graph_copy):
    path = fixture_graph_copy / "services" / "functions.toml"
    text = path.read_text()
    path.write_text(text.replace('[isolation.strong]\nsupport = "yes"', '[isolation.strong]\nsupport = "with_effort"', 1))
    kb = load_knowledge_base(fixture_graph_copy)
    change = _fewer_needs(kb, Profile(5, 0, "low", "strong", services=SERVICES))
    assert change["service"] == "functions" and change["isolation_with_extra_work"] is True
    assert change["sentence"].startswith("With strong isolation with extra work accepted, Functions would fit")
