"""The ranking: hard limits block with named sentences, scores move the way a team expects."""
import json
from dataclasses import replace

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from advisor import Profile, ProfileError, Weights, Workload, rank
from advisor.scoring import COMPONENTS, evaluate_all

BASE = Profile(security_hours_per_month=20, patching_staff=0, customisation="low", isolation="standard")
# The fixture knowledge base: Machines, Cluster, Tasks and Functions stand for EC2, ECS, Fargate and Lambda;
# Cluster is ranked only when named.
ALL = ("machines", "cluster", "tasks", "functions")


def by_id(recommendation):
    return {r.service: r for r in recommendation.ranking}


def blocked(recommendation):
    return {r.service for r in recommendation.ranking if not r.eligible}


def test_every_default_service_appears_once_with_ranks_one_to_n(fixture_kb):
    rec = rank(fixture_kb, BASE)
    assert sorted(r.service for r in rec.ranking) == sorted(s.id for s in fixture_kb.services.values() if s.default)
    assert [r.rank for r in rec.ranking] == [1, 2, 3]


def test_a_small_team_without_patching_staff_is_steered_to_serverless(fixture_kb):
    rec = rank(fixture_kb, BASE)
    assert {rec.ranking[0].service, rec.ranking[1].service} == {"functions", "tasks"}
    assert rec.ranking[-1].service == "machines"


def test_a_team_that_needs_kernel_control_and_has_staff_gets_its_own_machines(fixture_kb):
    rec = rank(fixture_kb, replace(BASE, security_hours_per_month=200, patching_staff=3, customisation="high"))
    assert rec.ranking[0].service == "machines"


def test_a_blocked_service_ranks_after_every_eligible_one_even_with_a_higher_score(fixture_kb):
    rec = rank(fixture_kb, replace(BASE, workload=Workload(max_duration_minutes=60)))
    lam = by_id(rec)["functions"]
    assert lam.score > by_id(rec)["machines"].score
    assert lam.rank == len(rec.ranking)


def test_a_ruled_out_service_says_where_it_ranks_and_never_that_it_ranks_first(fixture_kb):
    some = rank(fixture_kb, replace(BASE, workload=Workload(max_duration_minutes=60)))
    assert by_id(some)["functions"].reasons[0] == "Ranks third: ruled out by 1 hard limit."
    nothing = rank(fixture_kb, replace(BASE, workload=Workload(max_duration_minutes=60), services=("functions",)))
    assert nothing.ranking[0].reasons[0] == ("Ruled out by 1 hard limit, as every service here is: "
                                             "none is recommended.")


@pytest.mark.parametrize("service", ["machines", "cluster"])
@pytest.mark.parametrize("field, values", [
    ("patching_staff", [0, 1, 2, 3, 5]),
    ("security_hours_per_month", [0, 10, 40, 66, 86, 100, 500]),
])
def test_more_patching_staff_or_more_hours_never_lowers_a_service_on_the_team_s_instances(fixture_kb, service, field, values):
    scores = [by_id(rank(fixture_kb, replace(BASE, services=ALL, **{field: v})))[service].score for v in values]
    assert scores == sorted(scores)
    assert scores[-1] > scores[0]


def test_strong_isolation_costs_points_where_it_takes_extra_work_but_not_where_it_is_given(fixture_kb):
    standard = by_id(rank(fixture_kb, replace(BASE, services=ALL)))
    strong = by_id(rank(fixture_kb, replace(BASE, services=ALL, isolation="strong")))
    assert strong["cluster"].score < standard["cluster"].score
    assert strong["tasks"].score == standard["tasks"].score


def test_weights_are_returned_and_can_be_overridden(fixture_kb):
    rec = rank(fixture_kb, BASE)
    assert rec.weights == {"burden": 0.35, "patching": 0.25, "customisation": 0.2, "isolation": 0.1, "simplicity": 0.1}
    only_customisation = rank(fixture_kb, replace(BASE, customisation="high", weights=Weights(0, 0, 1, 0, 0)))
    assert only_customisation.ranking[0].service == "machines"
    assert only_customisation.weights["customisation"] == 1


def test_the_same_profile_gives_the_same_answer_byte_for_byte(fixture_kb):
    a = json.dumps(rank(fixture_kb, BASE).as_dict(), sort_keys=True)
    b = json.dumps(rank(fixture_kb, replace(BASE)).as_dict(), sort_keys=True)
    assert a == b


def test_the_justification_lists_team_and_aws_layers_burden_and_reasons(fixture_kb):
    machines = by_id(rank(fixture_kb, BASE))["machines"]
    assert {e["id"] for e in machines.team_owns} == {"guest_os", "runtime", "orchestration", "code", "iam"}
    assert {e["id"] for e in machines.aws_owns} == {"hardware", "host_os"}
    assert machines.burden_hours_per_month == sum(e["hours_per_month"] for e in machines.team_owns) == 28
    assert any("28 hours a month" in r and "20 hours" in r for r in machines.reasons)
    assert any("patches the instance operating system" in r for r in machines.reasons)


def test_the_score_breakdown_adds_up_to_the_score(fixture_kb):
    for entry in rank(fixture_kb, BASE).ranking:
        points = sum(part["points"] for part in entry.score_breakdown.values())
        assert abs(points - entry.score) <= 0.3


def test_the_leader_says_how_far_ahead_it_is(fixture_kb):
    rec = rank(fixture_kb, BASE)
    gap = rec.ranking[0].score - rec.ranking[1].score
    assert f"{gap:.1f} ahead of {rec.ranking[1].name}" in rec.ranking[0].reasons[0]


def test_a_profile_may_rank_a_subset_and_unknown_ids_are_refused(fixture_kb):
    rec = rank(fixture_kb, replace(BASE, services=("machines", "functions")))
    assert {r.service for r in rec.ranking} == {"machines", "functions"}
    with pytest.raises(ProfileError) as info:
        rank(fixture_kb, replace(BASE, services=("machines", "mainframe")))
    assert "services" in info.value.errors


_share = st.one_of(st.sampled_from([0, 0.0, -0.0, 1]), st.floats(min_value=0, max_value=1000, allow_nan=False))


@settings(max_examples=300, deadline=None)
@given(hours=st.one_of(st.sampled_from([0, -0.0, 86]), st.floats(min_value=0, max_value=100_000)),
       staff=st.integers(min_value=0, max_value=8), customisation=st.sampled_from(["none", "low", "medium", "high"]),
       isolation=st.sampled_from(["standard", "strong", "dedicated"]), weights=st.tuples(*[_share] * 5))
def test_each_part_of_the_breakdown_is_its_fit_and_shares_rounded_zero_signs_included(
        fixture_kb, hours, staff, customisation, isolation, weights):
    assume(sum(weights) > 0)
    profile = Profile(hours, staff, customisation, isolation, weights=Weights(*weights))
    total = sum(weights)
    fits = {e.view.service.id: e.fits for e in evaluate_all(fixture_kb, profile)}
    for entry in rank(fixture_kb, profile).ranking:
        expected = {name: {"fit": round(fit, 4), "weight": weight, "points": round(100 * fit * weight / total, 1),
                           "lost": round(100 * (1 - fit) * weight / total, 1)}
                    for name, fit, weight in zip(COMPONENTS, fits[entry.service], weights)}
        assert repr(entry.score_breakdown) == repr(expected)
