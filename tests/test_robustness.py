"""How firmly first place holds: the margin, its label, and what-if thresholds that really flip the winner."""
import json
import math
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError, validate

from advisor import Profile, Weights, Workload, profile_as_dict, rank
from advisor.robustness import CLOSE_MARGIN, ROBUST_MARGIN, STEPS, label_for, robustness
from advisor.scoring import evaluate_all
from schemas.profile import ProfileSchema, profile_schema
from schemas.robustness import RobustnessSchema
from model_fixture import model_knowledge_base

MODEL_KB = model_knowledge_base()
TRADE_OFF = Profile(50, 0, "low", "standard", services=("patchy", "zulu"))

BASE = Profile(security_hours_per_month=20, patching_staff=0, customisation="low", isolation="standard")
LEVELS = {"customisation": ["none", "low", "medium", "high"], "isolation": ["standard", "strong", "dedicated"]}

ALL_SERVICES = ["ec2", "ecs", "fargate", "lambda", "eks", "eks_fargate", "ecs_managed_instances",
                "lambda_managed_instances"]
PROFILES = [
    BASE,
    replace(BASE, isolation="dedicated"),
    replace(BASE, security_hours_per_month=100, patching_staff=1, customisation="high", isolation="strong"),
    replace(BASE, security_hours_per_month=60, patching_staff=1, customisation="medium"),
    replace(BASE, security_hours_per_month=60, patching_staff=2, customisation="medium"),
    replace(BASE, security_hours_per_month=0, patching_staff=2, customisation="high"),
    replace(BASE, security_hours_per_month=20.5, workload=Workload(max_duration_minutes=60, memory_gb=12)),
    replace(BASE, workload=Workload(vcpu=17, os="windows", max_duration_minutes=16)),
    replace(BASE, workload=Workload(gpu=True, privileged=True)),
    replace(BASE, isolation="dedicated", workload=Workload(vcpu=300)),  # only EC2 is eligible
    replace(BASE, isolation="dedicated", workload=Workload(vcpu=300, gpu=True), services=("fargate", "lambda")),
    replace(BASE, weights=Weights(0, 0, 0, 1, 0)),  # every score equal: burden breaks the tie
    replace(BASE, customisation="high", weights=Weights(0.5, 0.1, 0.3, 0.05, 0.05)),
    replace(BASE, security_hours_per_month=40, patching_staff=1, customisation="medium", isolation="strong",
            workload=Workload(always_on=True, memory_gb=4), weights=Weights(burden=1, patching=0)),
    replace(BASE, security_hours_per_month=86, patching_staff=3, services=("ec2", "ecs")),
    replace(BASE, workload=Workload(gpu=True, arch="arm64", max_duration_minutes=60, invocation="async"),
            services=tuple(ALL_SERVICES)),
    replace(BASE, workload=Workload(daemonsets=True, max_duration_minutes=30, invocation="sync"),
            services=tuple(ALL_SERVICES), overlay="platform_team"),
    # Nothing is eligible: only the values that make a service eligible are what-ifs.
    replace(BASE, security_hours_per_month=80, patching_staff=1, customisation="medium",
            workload=Workload(os="windows", arch="arm64", always_on=True)),
    replace(BASE, isolation="dedicated", workload=Workload(vcpu=300, gpu=True), services=("fargate", "lambda", "ec2")),
]


def first(kb, profile):
    """The service the ranking recommends: first place when it is eligible, None when every service is ruled out."""
    top = rank(kb, profile, with_robustness=False).ranking[0]
    return top.service if top.eligible else None


def get(profile, name):
    if name.startswith("workload."):
        return getattr(profile.workload, name.split(".", 1)[1])
    if name.startswith("weights."):
        return getattr(profile.weights, name.split(".", 1)[1])
    return getattr(profile, name)


def apply(profile, name, value):
    if name.startswith("workload."):
        return replace(profile, workload=replace(profile.workload, **{name.split(".", 1)[1]: value}))
    if name.startswith("weights."):
        return replace(profile, weights=replace(profile.weights, **{name.split(".", 1)[1]: value}))
    return replace(profile, **{name: value})


def step_short(threshold):
    """One documented step from the reported value back toward the current one (or the current value)."""
    name, value, current = threshold.input, threshold.value, threshold.current
    if threshold.direction == "change":
        return current
    if name in LEVELS:
        scale = LEVELS[name]
        return scale[scale.index(value) + (1 if scale.index(current) > scale.index(value) else -1)]
    units, low, high = STEPS[name]
    towards = -1 if threshold.direction == "increase" else 1
    k = round(value * units) + towards
    back = k if name == "patching_staff" else k / units
    if current is not None and (back - current) * towards >= 0:
        return current  # the current value is within one step
    return back if low <= k <= high else current


def assert_thresholds_hold(kb, profile):
    recommendation = rank(kb, profile)
    leader = recommendation.ranking[0].service
    if not recommendation.ranking[0].eligible:
        leader = None
    for threshold in recommendation.robustness.thresholds:
        assert threshold.current == get(profile, threshold.input)
        moved = apply(profile, threshold.input, threshold.value)
        assert threshold.first != leader
        assert first(kb, moved) == threshold.first, threshold  # first and eligible
        assert first(kb, apply(profile, threshold.input, step_short(threshold))) == leader, threshold
        profile_schema.load(profile_as_dict(moved))  # the value is one a team could send


@pytest.mark.parametrize("profile", PROFILES)
def test_every_threshold_really_puts_its_service_first_and_a_step_short_does_not(kb, profile):
    assert_thresholds_hold(kb, profile)


WORKLOAD_VALUES = st.one_of(st.none(), st.sampled_from([0.25, 1, 4, 9.5, 10, 10.5, 15, 16, 64, 120, 121, 192, 250]),
                            st.floats(min_value=0.1, max_value=400).map(lambda x: round(x, 2)))


@st.composite
def profiles(draw):
    body = {
        "security_hours_per_month": draw(st.one_of(st.integers(0, 200), st.floats(0, 200).map(lambda x: round(x, 2)))),
        "patching_staff": draw(st.integers(0, 4)),
        "customisation": draw(st.sampled_from(LEVELS["customisation"])),
        "isolation": draw(st.sampled_from(LEVELS["isolation"])),
    }
    workload = {name: draw(WORKLOAD_VALUES) for name in ("max_duration_minutes", "memory_gb", "vcpu",
                                                          "ephemeral_storage_gb")}
    workload = {k: v for k, v in workload.items() if v is not None}
    for flag in ("gpu", "privileged", "always_on", "daemonsets"):
        if draw(st.integers(0, 5)) == 0:
            workload[flag] = True
    workload["os"] = draw(st.sampled_from(["linux", "linux", "windows"]))
    for choice, values in (("arch", ["x86_64", "arm64"]), ("invocation", ["sync", "async"])):
        if (value := draw(st.sampled_from([None, None, *values]))) is not None:
            workload[choice] = value
    body["workload"] = workload
    if draw(st.booleans()):
        body["weights"] = {part: draw(st.sampled_from([0, 0.05, 0.1, 0.2, 0.25, 0.35, 0.5, 1, 2.5]))
                           for part in ("burden", "patching", "customisation", "isolation", "simplicity")}
    if draw(st.integers(0, 3)) == 0:
        body["services"] = draw(st.lists(st.sampled_from(ALL_SERVICES), min_size=1, max_size=8, unique=True))
    if draw(st.integers(0, 3)) == 0:
        body["overlay"] = "platform_team"
    try:
        return profile_schema.load(body)
    except ValidationError:
        assume(False)


@settings(max_examples=80, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profile=profiles())
def test_thresholds_hold_for_generated_profiles(kb, profile):
    assert_thresholds_hold(kb, profile)


# Grid walks a test can afford: each number scanned step by step over this many steps.
SCAN = {"security_hours_per_month": 250, "patching_staff": 6, "workload.max_duration_minutes": 250,
        "workload.memory_gb": 250, "workload.vcpu": 250, "workload.ephemeral_storage_gb": 250,
        **{f"weights.{part}": 150 for part in ("burden", "patching", "customisation", "isolation", "simplicity")}}


INVALID = object()  # weights that are all zero: not a profile a team can send


def first_or_none(kb, profile):
    """The service recommended (None when every service is ruled out), or INVALID."""
    if sum(profile.weights.as_dict().values()) <= 0:
        return INVALID
    top = evaluate_all(kb, profile)[0]
    return None if top.blockers else top.view.service.id


@pytest.mark.parametrize("profile", PROFILES[:10])
def test_no_nearer_value_on_the_grid_changes_first_place(kb, profile):
    assert_no_nearer_change(kb, profile)


MODEL_PROFILES = [
    TRADE_OFF,
    replace(TRADE_OFF, security_hours_per_month=20, weights=Weights(1, 0.25, 0.2, 0.1, 0.1)),
    replace(TRADE_OFF, patching_staff=1, services=None),
    replace(TRADE_OFF, security_hours_per_month=12.5, customisation="medium", isolation="strong", services=None),
    replace(TRADE_OFF, security_hours_per_month=3, weights=Weights(2, 1, 0.2, 0.1, 0.5), services=None),
]


@pytest.mark.parametrize("profile", MODEL_PROFILES)
def test_thresholds_are_exact_where_services_trade_hours_against_patching(profile):
    """The model fixture has services that trade burden against patching need, so every kind of what-if occurs."""
    assert_thresholds_hold(MODEL_KB, profile)
    assert_no_nearer_change(MODEL_KB, profile)


@st.composite
def model_profiles(draw):
    weights = Weights(*(draw(st.sampled_from([0, 0.05, 0.1, 0.25, 0.35, 1, 2])) for _ in range(5)))
    assume(sum(weights.as_dict().values()) > 0)
    return Profile(security_hours_per_month=draw(st.integers(0, 600)) / 10, patching_staff=draw(st.integers(0, 3)),
                   customisation=draw(st.sampled_from(LEVELS["customisation"])),
                   isolation=draw(st.sampled_from(LEVELS["isolation"])), weights=weights,
                   workload=Workload(max_duration_minutes=draw(st.sampled_from([None, 5, 15, 16, 60]))))


@settings(max_examples=150, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profile=model_profiles())
def test_thresholds_hold_for_generated_profiles_on_the_model_fixture(profile):
    assert_thresholds_hold(MODEL_KB, profile)


def assert_no_nearer_change(kb, profile):
    """Walk each number step by step from its value: the first change found is the one reported, unless it
    rules every service out, which is not reported and ends the walk."""
    leader = first(kb, profile)
    reported = {(t.input, t.direction): t for t in rank(kb, profile).robustness.thresholds}
    for name, steps in SCAN.items():
        units, low, high = STEPS[name]
        current = get(profile, name)
        for direction in (-1, 1):
            if current is None and direction < 0:
                continue
            if current is None:
                k = low
            else:
                k = math.floor(current * units) + 1 if direction > 0 else math.ceil(current * units) - 1
            found = None
            for _ in range(steps):
                if not low <= k <= high:
                    break
                value = k if name == "patching_staff" else k / units
                winner = first_or_none(kb, apply(profile, name, value))
                if winner not in (INVALID, leader):
                    found = (value, winner)
                    break
                k += direction
            threshold = reported.get((name, "increase" if direction > 0 else "decrease"))
            if found and found[1] is None:
                assert threshold is None, (name, direction, threshold)
            elif found:
                assert threshold is not None and (threshold.value, threshold.first) == found, (name, direction)
            elif threshold is not None:
                assert abs(threshold.value - (current or 0)) * units > steps, (name, direction, threshold)


@pytest.mark.parametrize("profile", PROFILES[:10])
def test_the_nearest_level_and_every_other_value_are_tried(kb, profile):
    leader = first(kb, profile)
    reported = {(t.input, t.direction): (t.value, t.first) for t in rank(kb, profile).robustness.thresholds}
    for name, scale in LEVELS.items():
        at = scale.index(getattr(profile, name))
        for direction, indexes in (("decrease", range(at - 1, -1, -1)), ("increase", range(at + 1, len(scale)))):
            expected = next(((scale[i], first(kb, apply(profile, name, scale[i]))) for i in indexes
                             if first(kb, apply(profile, name, scale[i])) != leader), None)
            if expected is not None and expected[1] is None:
                expected = None  # the nearest level that changes anything rules every service out
            assert reported.get((name, direction)) == expected, (name, direction)
    for name in ("workload.gpu", "workload.privileged", "workload.always_on", "workload.os"):
        current = get(profile, name)
        other = (not current) if name != "workload.os" else ({"linux": "windows", "windows": "linux"}[current])
        winner = first(kb, apply(profile, name, other))
        assert reported.get((name, "change")) == (None if winner in (leader, None) else (other, winner)), name


def test_a_small_team_learns_what_would_change_its_first_place(fixture_kb):
    robust = rank(fixture_kb, BASE).robustness
    assert (robust.first, robust.runner_up, robust.label) == ("functions", "tasks", "robust")
    sentences = [t.sentence for t in robust.thresholds]
    # Functions allow runs of up to 10 minutes; Tasks have no such limit
    assert "With a run of 11 minutes, Tasks would rank first." in sentences
    # only Machines offer dedicated hardware
    assert "With dedicated isolation needed, Machines would rank first." in sentences


def test_one_patching_engineer_would_put_the_lighter_service_that_needs_patching_first():
    # Patchy Platform owns 2 hours less but needs 0.2 of a patching engineer; with none, Zulu Functions leads.
    thresholds = {t.input: t for t in rank(MODEL_KB, TRADE_OFF).robustness.thresholds}
    patching = thresholds["patching_staff"]
    assert (patching.value, patching.first, patching.direction) == (1, "patchy", "increase")
    assert patching.sentence == "With 1 patching engineer, Patchy Platform would rank first."


def test_fewer_hours_hand_first_place_to_the_lighter_service():
    # With the burden weighed heavily, missing hours cost Zulu Functions (14 hours) more than Patchy Platform
    # (12): below about 13.2 hours the lighter one leads.
    profile = replace(TRADE_OFF, security_hours_per_month=20, weights=Weights(1, 0.25, 0.2, 0.1, 0.1))
    hours = next(t for t in rank(MODEL_KB, profile).robustness.thresholds if t.input == "security_hours_per_month")
    assert (hours.value, hours.first, hours.direction) == (13, "patchy", "decrease")
    assert hours.sentence == "With 13 security hours a month, Patchy Platform would rank first."


def test_a_weight_threshold_names_the_dotted_input():
    # Zulu Functions leads by 0.2/1.5 of the patching weight less 2/29 of the simplicity weight (0.1).
    weights = {t.input: t for t in rank(MODEL_KB, TRADE_OFF).robustness.thresholds if t.input.startswith("weights.")}
    assert weights["weights.patching"].value == 0.05
    assert weights["weights.patching"].sentence == "With the patching weight at 0.05, Patchy Platform would rank first."


@pytest.mark.parametrize("margin, eligible, label", [
    (0.0, 4, "fragile"), (1.9, 4, "fragile"), (CLOSE_MARGIN, 4, "close"), (4.9, 2, "close"),
    (ROBUST_MARGIN, 2, "robust"), (40.0, 3, "robust"), (None, 1, "robust"), (None, 0, "fragile"),
])
def test_the_label_follows_the_documented_cut_offs(margin, eligible, label):
    assert (CLOSE_MARGIN, ROBUST_MARGIN) == (2.0, 5.0)
    assert label_for(margin, eligible) == label


@pytest.mark.parametrize("profile", PROFILES)
def test_the_margin_is_the_gap_the_ranking_shows_and_the_label_matches_it(kb, profile):
    recommendation = rank(kb, profile)
    eligible = [r for r in recommendation.ranking if r.eligible]
    robust = recommendation.robustness
    if len(eligible) >= 2:
        assert robust.margin == round(eligible[0].score - eligible[1].score, 1)
        assert robust.runner_up == eligible[1].service
    else:
        assert robust.margin is None and robust.runner_up is None
    assert robust.first == recommendation.ranking[0].service
    expected = ("robust" if robust.margin >= 5 else "close" if robust.margin >= 2 else "fragile") \
        if robust.margin is not None else ("robust" if len(eligible) == 1 else "fragile")
    if len(eligible) >= 2 and eligible[0].needs_gaps != eligible[1].needs_gaps:
        expected = "robust"  # the runner-up meets fewer needs: no number of points lets it pass
    assert robust.label == expected


def test_a_tie_settled_by_less_burden_is_fragile(kb):
    robust = rank(kb, replace(BASE, weights=Weights(0, 0, 0, 1, 0))).robustness
    assert (robust.first, robust.margin, robust.label) == ("lambda", 0.0, "fragile")


def test_a_lone_eligible_service_is_robust_and_none_eligible_is_fragile(kb):
    alone = rank(kb, replace(BASE, isolation="dedicated", services=("ec2", "fargate", "lambda"))).robustness
    assert (alone.first, alone.margin, alone.label) == ("ec2", None, "robust")
    nothing = rank(kb, replace(BASE, isolation="dedicated", services=("fargate", "lambda"))).robustness
    assert (nothing.first, nothing.margin, nothing.label) == ("lambda", None, "fragile")


def test_the_same_profile_gives_the_same_robustness_byte_for_byte(kb):
    for profile in PROFILES:
        a = json.dumps(rank(kb, profile).as_dict()["robustness"], sort_keys=True)
        assert a == json.dumps(rank(kb, replace(profile)).as_dict()["robustness"], sort_keys=True)


def test_the_grid_ranges_are_the_profile_schemas(kb):
    schema = ProfileSchema()
    nested = {"workload": schema.fields["workload"].schema, "weights": schema.fields["weights"].schema}

    def bounds(name):
        if "." in name:
            group, field = name.split(".")
            return nested[group].fields[field].validate
        return next(v for v in schema.fields[name].validators if isinstance(v, validate.Range))

    for name, (units, low, high) in STEPS.items():
        rule = bounds(name)
        assert high / units == rule.max, name
        assert low / units >= rule.min and (low / units > rule.min or rule.min_inclusive), name


def test_thresholds_are_left_out_without_a_rival_on_score(kb):
    profile = replace(BASE, services=("lambda",))
    robust = rank(kb, profile).robustness
    assert robust.label == "robust" and robust.thresholds == ()


# -- the API ---------------------------------------------------------------------------------

def test_every_recommendation_carries_robustness_in_the_documented_shape(client, profile):
    body = client.post("/api/v1/recommendations", json=profile).get_json()
    assert RobustnessSchema().validate(body["robustness"]) == {}
    assert body["robustness"]["label"] in {"robust", "close", "fragile"}
    assert {"input", "value", "first", "sentence"} <= set(body["robustness"]["thresholds"][0])


def test_a_saved_assessment_keeps_its_robustness(client, profile):
    created = client.post("/api/v1/assessments", json=profile).get_json()
    fetched = client.get(created["links"]["self"]).get_json()
    assert fetched["recommendation"]["robustness"] == created["recommendation"]["robustness"]
    assert fetched["recommendation"]["robustness"]["first"] == fetched["recommendation"]["ranking"][0]["service"]


def test_a_what_if_beyond_what_any_aws_compute_offers_is_left_out():
    from dataclasses import replace as swap

    from advisor import build_knowledge_base
    from model_fixture import model_documents

    profile = Profile(50, 0, "low", "standard", services=("zulu", "alpha"))
    memory = [t for t in rank(MODEL_KB, profile).robustness.thresholds if t.input == "workload.memory_gb"]
    assert [(t.value, t.first) for t in memory] == [(11, "alpha")]
    docs = model_documents()
    file, meta = docs.meta
    bounded = build_knowledge_base(swap(docs, meta=(file, {**meta, "workload_bounds": {"memory_gb": 10.0}})))
    assert not [t for t in rank(bounded, profile).robustness.thresholds if t.input == "workload.memory_gb"]
