"""What an answer says the team would accept or assume: the nearest changes of a no-fit warning, and the open
conditions an eligible service rests on."""
from dataclasses import replace

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


def _with_sync_limit(fixture_graph_copy):
    """Functions, as a copy, with a 5-minute maximum for synchronous runs (a limit that holds under a condition)."""
    path = fixture_graph_copy / "services" / "functions.toml"
    path.write_text(path.read_text() + '''
[[limits]]
field = "max_duration_minutes"
kind = "max"
value = 5
when = { invocation = "sync" }
label = "5-minute maximum for synchronous runs"
source = "seed"
unblock = "synchronous runs fit in 5 minutes"
''')
    return load_knowledge_base(fixture_graph_copy)


def _assumed(kb, profile):
    entry = next(e for e in rank(kb, profile).as_dict()["ranking"] if e["service"] == "functions")
    return entry["eligible"], [r for r in entry["reasons"] if r.startswith("This assumes")]


def test_an_answer_says_which_open_condition_keeps_a_service_eligible(fixture_graph_copy):
    from advisor import Workload
    kb = _with_sync_limit(fixture_graph_copy)
    base = Profile(20, 0, "low", "standard", services=SERVICES)
    eligible, assumed = _assumed(kb, replace(base, workload=Workload(max_duration_minutes=8)))
    assert eligible and assumed == ["This assumes the workload does not need synchronous invocations: a run of 8 "
                                    "minutes exceeds Functions' 5-minute maximum for synchronous runs."]
    assert _assumed(kb, replace(base, workload=Workload(max_duration_minutes=8, invocation="async"))) == (True, [])
    assert _assumed(kb, replace(base, workload=Workload(max_duration_minutes=4))) == (True, [])
    assert _assumed(kb, replace(base, workload=Workload(max_duration_minutes=8, invocation="sync")))[0] is False
