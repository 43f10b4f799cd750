"""The ranking model's stated properties, held over generated profiles.

Each property is checked on the small model knowledge base (tests/model_fixture.py), which
isolates the model from the AWS facts, and over every service of the real catalog, which is
what teams get. See "How the score works" in docs/model.md.
"""
import os
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor import Profile, Weights, Workload, profile_as_dict, rank
from advisor.scoring import evaluate_all
from model_fixture import model_knowledge_base

CATALOG = ["ec2", "ecs", "fargate", "lambda", "eks", "eks_fargate", "ecs_managed_instances",
           "lambda_managed_instances"]
CUSTOMISATION = ["none", "low", "medium", "high"]
ISOLATION = ["standard", "strong", "dedicated"]
# 500 profiles per property and knowledge base; the fast lane may ask for fewer.
EXAMPLES = settings(max_examples=int(os.environ.get("ADVISOR_PROPERTY_EXAMPLES", "500")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


class Case(tuple):
    """(knowledge base, services to rank), with a short name in failure reports."""

    def __repr__(self):
        return f"<{self[0].title}>"


@pytest.fixture(scope="module", params=["model", "catalog"])
def case(request, kb):
    """The model fixture with its services, and the real catalog with every service."""
    if request.param == "model":
        return Case((model_knowledge_base(), None))
    return Case((kb, tuple(CATALOG)))


@st.composite
def profiles(draw):
    workload = Workload(
        max_duration_minutes=draw(st.one_of(st.none(), st.sampled_from([1, 10, 16, 60, 120]))),
        memory_gb=draw(st.one_of(st.none(), st.sampled_from([1, 4, 16, 64, 200]))),
        vcpu=draw(st.one_of(st.none(), st.sampled_from([1, 4, 8, 17, 64]))),
        gpu=draw(st.booleans()), privileged=draw(st.booleans()), always_on=draw(st.booleans()),
        os=draw(st.sampled_from(["linux", "windows"])),
        arch=draw(st.sampled_from([None, "x86_64", "arm64"])),
    )
    return Profile(
        security_hours_per_month=draw(st.integers(0, 2000)) / 10,
        patching_staff=draw(st.integers(0, 4)),
        customisation=draw(st.sampled_from(CUSTOMISATION)), isolation=draw(st.sampled_from(ISOLATION)),
        workload=workload)


def ranked(kb, services, profile):
    return rank(kb, replace(profile, services=services), with_robustness=False).ranking


@EXAMPLES
@given(profile=profiles(), fraction=st.floats(0, 1))
def test_fewer_hours_never_send_first_place_to_a_heavier_service(case, profile, fraction):
    kb, services = case
    before = ranked(kb, services, profile)[0]
    fewer = replace(profile, security_hours_per_month=round(profile.security_hours_per_month * fraction, 1))
    after = ranked(kb, services, fewer)[0]
    assert after.burden_hours_per_month <= before.burden_hours_per_month, (before.service, after.service)


@EXAMPLES
@given(profile=profiles(), staff=st.integers(0, 4))
def test_fewer_patching_staff_never_send_first_place_to_a_service_needing_more(case, profile, staff):
    kb, services = case
    staff = min(staff, profile.patching_staff)
    before = ranked(kb, services, profile)[0]
    after = ranked(kb, services, replace(profile, patching_staff=staff))[0]
    assert after.patching_staff_needed <= before.patching_staff_needed, (before.service, after.service)


@EXAMPLES
@given(profile=profiles(), extra_hours=st.integers(0, 1000), extra_staff=st.integers(0, 3))
def test_more_capacity_never_moves_first_place_to_a_service_that_does_not_fit(case, profile, extra_hours,
                                                                              extra_staff):
    kb, services = case
    more = replace(profile, security_hours_per_month=profile.security_hours_per_month + extra_hours,
                   patching_staff=profile.patching_staff + extra_staff)

    def fits(entry, p):
        return entry.burden_hours_per_month <= p.security_hours_per_month and \
            entry.patching_staff_needed <= p.patching_staff

    before, after = ranked(kb, services, profile)[0], ranked(kb, services, more)[0]
    if before.eligible and fits(before, profile):
        assert fits(after, more), (before.service, after.service)


@EXAMPLES
@given(profile=profiles())
def test_no_service_offering_less_control_ranks_above_one_that_offers_what_is_needed(case, profile):
    kb, services = case
    asked = kb.customisation_levels[profile.customisation].rank
    eligible = [r for r in ranked(kb, services, profile) if r.eligible]
    offered = [kb.customisation_levels[kb.services[r.service].customisation].rank for r in eligible]
    for place, rank_offered in enumerate(offered):
        if rank_offered >= asked:
            above = offered[:place]
            assert all(level >= asked for level in above), [r.service for r in eligible]


@EXAMPLES
@given(profile=profiles())
def test_isolation_given_outright_ranks_above_isolation_that_takes_extra_work(case, profile):
    """A service needing extra work for the isolation asked never outranks one giving it outright, unless it
    gives more of the control the team needs (customisation comes first)."""
    kb, services = case
    asked = kb.customisation_levels[profile.customisation].rank
    eligible = [r for r in ranked(kb, services, profile) if r.eligible]

    def standing(entry):
        service = kb.services[entry.service]
        short = max(0, asked - kb.customisation_levels[service.customisation].rank)
        return short, service.isolation[profile.isolation].support

    for place, entry in enumerate(eligible):
        short, support = standing(entry)
        if support == "yes":
            for above in eligible[:place]:
                above_short, above_support = standing(above)
                if above_short >= short:
                    assert above_support == "yes", [r.service for r in eligible]


@EXAMPLES
@given(profile=profiles())
def test_equal_scores_go_to_less_burden_then_fewer_team_layers_then_less_patching(case, profile):
    kb, services = case
    evaluations = [e for e in evaluate_all(kb, replace(profile, services=services)) if e.eligible]
    for a, b in zip(evaluations, evaluations[1:]):
        if a.tier == b.tier and round(a.score, 6) == round(b.score, 6):
            key_a = (a.view.burden_hours, len(a.view.team_owns), a.view.patching_staff_needed)
            key_b = (b.view.burden_hours, len(b.view.team_owns), b.view.patching_staff_needed)
            assert key_a <= key_b


@EXAMPLES
@given(profile=profiles())
def test_the_same_profile_gives_the_same_answer_byte_for_byte(case, profile):
    kb, services = case
    profile = replace(profile, services=services)
    assert rank(kb, profile).as_dict() == rank(kb, profile).as_dict()


def test_a_tie_on_score_goes_to_fewer_team_layers_not_to_the_id():
    kb = model_knowledge_base()
    profile = Profile(100, 2, "low", "standard", services=("alpha", "zulu"))
    ranking = rank(kb, profile).ranking
    assert ranking[0].score == ranking[1].score
    assert [r.name for r in ranking] == ["Zulu Functions", "Alpha Containers"]
    assert len(ranking[0].team_owns) < len(ranking[1].team_owns)


def test_a_need_for_more_control_outranks_any_number_of_points():
    kb = model_knowledge_base()
    profile = Profile(0, 0, "high", "standard", weights=Weights(burden=10, patching=10, customisation=0.01))
    ranking = rank(kb, profile).ranking
    assert ranking[0].service == "heavy"
    assert ranking[0].score < max(r.score for r in ranking[1:])  # it wins on the need, not on points
    assert [g["need"] for g in ranking[1].needs_gaps] == ["customisation"]
    assert "gives less than the high control the team needs" in ranking[1].reasons[0]


def test_fewer_hours_keep_the_lighter_first_place_at_every_step():
    """The defect teams met before: with ratios, shrinking hours handed first place back to a heavier service."""
    kb = model_knowledge_base()
    firsts = [rank(kb, Profile(h, 1, "medium", "standard", services=("heavy", "middle")),
                   with_robustness=False).ranking[0] for h in range(0, 60)]
    burdens = [f.burden_hours_per_month for f in firsts]
    assert burdens == sorted(burdens)


def test_platform_and_application_hours_add_up_to_the_burden():
    kb = model_knowledge_base()
    for entry in rank(kb, Profile(50, 1, "low", "standard")).ranking:
        assert entry.platform_hours_per_month + entry.application_hours_per_month == entry.burden_hours_per_month
        # the code (10 hours) and config (4) layers, except where a service takes the config on
        assert entry.application_hours_per_month == (10 if entry.service == "patchy" else 14)


def test_the_profile_as_plain_values_keeps_the_workload_choices():
    data = profile_as_dict(Profile(10, 0, "low", "standard"))
    assert data["workload"]["on_ec2"] == "containers" and data["workload"]["lambda_package"] == "zip"
