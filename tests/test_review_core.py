"""The review in the core, on the small fixture knowledge base: the profile it assembles, the comparisons, the verdict."""
from __future__ import annotations

import pytest

from advisor import Profile, Workload, rank
from advisor.iac.facts import Facts, Origin
from advisor.review import FAIL_ON, failed_conditions, review, review_profile


def derivation(**fields):
    """A derivation as the readers would give it, with the named services in use and workload fields."""
    facts = Facts()
    origin = Origin("main.tf", "aws_thing.this")
    for service in fields.pop("services", ()):
        facts.service(service, origin, "type")
    for name, value in fields.items():
        if isinstance(value, bool):
            facts.flag(f"workload.{name}", origin, name, value, value=value)
        else:
            facts.number(f"workload.{name}", origin, name, value)
    return facts.result()


def test_the_profile_is_derived_fields_then_overrides_and_ranks_the_services_in_use(fixture_kb):
    derived = derivation(services=["cluster"], max_duration_minutes=12, memory_gb=4)
    profile, missing, provenance = review_profile(
        fixture_kb, derived, {"security_hours_per_month": 20, "workload": {"memory_gb": 2}})
    assert profile["workload"] == {"max_duration_minutes": 12, "memory_gb": 2}
    assert missing == ["patching_staff", "customisation", "isolation"]
    assert set(profile["services"]) == set(fixture_kb.default_services) | {"cluster"}
    assert [p["field"] for p in provenance] == ["workload.max_duration_minutes", "current_services"]


def test_fields_the_profile_contract_does_not_hold_are_left_out_with_their_provenance(fixture_kb):
    derived = derivation(max_duration_minutes=12, memory_gb=4)
    profile, _, provenance = review_profile(fixture_kb, derived, {}, workload_fields=("memory_gb",))
    assert profile["workload"] == {"memory_gb": 4}
    assert [p["field"] for p in provenance] == ["workload.memory_gb"]


def test_the_request_may_name_the_services_to_rank(fixture_kb):
    profile, _, _ = review_profile(fixture_kb, derivation(services=["cluster"]), {"services": ["tasks"]})
    assert profile["services"] == ["tasks"]


def first_eligible(kb, profile):
    return next(e for e in rank(kb, profile).ranking if e.eligible)


def test_a_service_in_use_that_is_first_and_fits_gives_a_clean_verdict(fixture_kb):
    profile = Profile(60, 2, "low", "standard")
    first = first_eligible(fixture_kb, profile)
    result = review(fixture_kb, profile, [first.service])
    verdict = result["verdict"]
    assert (verdict["first"], verdict["current_is_first"], verdict["fits_capacity"], verdict["blocked"]) == (
        first.service, True, True, False)
    assert verdict["firmness"] == rank(fixture_kb, profile).robustness.label
    assert verdict["summary"].startswith(f"{first.name}, in use today, ranks first for this team, within")
    [comparison] = result["comparisons"]
    assert comparison["is_first"] and comparison["change_to_first"] is None
    assert failed_conditions(verdict, ["not-first", "over-capacity", "blocked"]) == []


def test_a_heavier_service_in_use_is_compared_with_first_place(fixture_kb):
    profile = Profile(20, 2, "low", "standard")
    ranking = rank(fixture_kb, profile).ranking
    first = next(e for e in ranking if e.eligible)
    heaviest = max((e for e in ranking if e.eligible), key=lambda e: e.burden_hours_per_month)
    assert heaviest.service != first.service
    result = review(fixture_kb, profile, [heaviest.service])
    [comparison] = result["comparisons"]
    change = comparison["change_to_first"]
    assert (change["from"], change["to"]) == (heaviest.service, first.service)
    assert change["burden_change_hours_per_month"] == pytest.approx(
        first.burden_hours_per_month - heaviest.burden_hours_per_month)
    verdict = result["verdict"]
    assert verdict["current_is_first"] is False
    assert verdict["fits_capacity"] == (heaviest.burden_hours_per_month <= 20
                                        and heaviest.patching_staff_needed <= 2)
    more = heaviest.burden_hours_per_month - first.burden_hours_per_month
    assert f"{heaviest.name}, in use today, ranks" in verdict["summary"]
    assert f"with {more:g} hours a month more team work than first place" in verdict["summary"]
    assert failed_conditions(verdict, ["not-first"])[0].startswith("not-first:")


def test_a_service_in_use_ruled_out_by_the_workload_blocks_the_review(fixture_kb):
    profile = Profile(60, 2, "low", "standard", workload=Workload(gpu=True))
    blocked = [e for e in rank(fixture_kb, profile).ranking if not e.eligible]
    assert blocked
    result = review(fixture_kb, profile, [blocked[0].service])
    verdict = result["verdict"]
    assert verdict["blocked"] is True and verdict["current_is_first"] is False
    assert verdict["summary"].startswith(f"{blocked[0].name}, in use today, is ruled out: "
                                         f"{blocked[0].blockers[0].sentence}")
    assert result["comparisons"][0]["blockers"][0]["sentence"] == blocked[0].blockers[0].sentence
    assert [r.split(":")[0] for r in failed_conditions(verdict, FAIL_ON)][-1] == "blocked"


def test_too_few_hours_for_every_service_is_over_capacity(fixture_kb):
    profile = Profile(1, 0, "low", "standard")
    first = first_eligible(fixture_kb, profile)
    verdict = review(fixture_kb, profile, [first.service])["verdict"]
    assert verdict["fits_capacity"] is False
    assert f"though it asks {first.burden_hours_per_month:g} hours a month of the team's 1 hour" in verdict["summary"]
    assert failed_conditions(verdict, ["over-capacity"]) == [
        "over-capacity: the team's hours or patching staff do not cover the service in use."]


@pytest.mark.parametrize("hours, words", [
    (30, "ranks 2nd with 10 hours a month more team work than first place."),
    (15, "ranks 2nd with 5 hours a month less team work than first place."),
    (20, "ranks 2nd with as many team hours as first place."),
])
def test_the_summary_says_how_the_service_in_use_compares_in_plain_words(hours, words):
    from types import SimpleNamespace

    from advisor.review import _summary
    first = SimpleNamespace(name="Functions", burden_hours_per_month=20, rank=1)
    in_use = SimpleNamespace(name="Tasks", burden_hours_per_month=hours, rank=2)
    summary = _summary(Profile(60, 2, "low", "standard"), first, [in_use], [], False, True, "robust")
    assert summary == f"Functions ranks first (first place is robust); Tasks, in use today, {words}"


def test_files_with_no_compute_service_say_so(fixture_kb):
    profile = Profile(60, 2, "low", "standard")
    verdict = review(fixture_kb, profile, [])["verdict"]
    assert verdict["summary"].startswith("No compute service was found in the files;")
    assert verdict["current_is_first"] is False


@pytest.mark.parametrize("firmness, holds", [("fragile", True), ("close", False), ("robust", False)])
def test_fragile_fails_only_a_fragile_first_place(firmness, holds):
    verdict = {"current_is_first": True, "fits_capacity": True, "firmness": firmness, "blocked": False,
               "first_name": "Functions"}
    assert bool(failed_conditions(verdict, ["fragile"])) is holds
