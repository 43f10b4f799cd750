"""Every sentence the advisor writes could be quoted in a design review.

Walks the sentences of a few hundred generated answers on the real knowledge base (reasons,
blockers and what would lift them, what-ifs, warnings and the changes they suggest, assumptions,
needs) and of every comparison, and finds no bare id, no doubled full stop and no text about the
knowledge base itself.
"""
import math
import re
from itertools import permutations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor import Profile, Workload, rank
from advisor.compare import compare
from advisor.text import rounded

CATALOG = ("ec2", "ecs", "fargate", "lambda", "eks", "eks_fargate", "ecs_managed_instances",
           "lambda_managed_instances")
META = re.compile(r"knowledge base|knowledge-base|until a source|this data|the data file|\bsource shows\b", re.I)


def sentences_of(answer: dict) -> list[str]:
    found = []
    for entry in answer["ranking"]:
        found += entry["reasons"] + entry["assumptions"] + [g["sentence"] for g in entry["needs_gaps"]]
        # a blocker's sentence is a clause every format ends with a full stop of its own
        found += [text for b in entry["blockers"] for text in (b["sentence"] + ".", b["unblock"])]
    found += [t["sentence"] for t in answer["robustness"]["thresholds"]]
    for warning in answer["warnings"]:
        found += [warning["message"]] + [c["sentence"] for c in warning.get("nearest_changes", [])]
    return found


def assert_quotable(sentence: str, kb) -> None:
    ids = "|".join(sorted((*kb.services, *kb.overlays, *kb.calibrations), key=len, reverse=True))  # layer ids are words
    assert not re.search(rf"(?<![\w.-])({ids})(?![\w.-])", sentence), f"bare id in: {sentence}"
    assert not re.search(r"\b[a-z0-9]+_[a-z0-9_]+\b", sentence), f"an identifier in: {sentence}"
    assert not re.search(r"\.\s*\.", sentence), f"doubled full stop in: {sentence}"
    assert not META.search(sentence), f"talks about the knowledge base: {sentence}"
    assert not re.search(r"[a-z]s's\b", sentence), f"a plural name given 's: {sentence}"
    assert sentence[:1].isupper() or sentence[:1].isdigit(), f"does not start as a sentence: {sentence}"
    assert sentence.rstrip().endswith((".", ")", ":")) or sentence.endswith("first"), sentence


@st.composite
def profiles(draw):
    workload = Workload(
        max_duration_minutes=draw(st.sampled_from([None, 5, 16, 100, 240])),
        memory_gb=draw(st.sampled_from([None, 2, 11, 40, 500])), vcpu=draw(st.sampled_from([None, 1, 7, 17, 300])),
        ephemeral_storage_gb=draw(st.sampled_from([None, 20, 180, 300])),
        gpu=draw(st.booleans()), privileged=draw(st.booleans()), always_on=draw(st.booleans()),
        daemonsets=draw(st.booleans()), os=draw(st.sampled_from(["linux", "windows"])),
        arch=draw(st.sampled_from([None, "x86_64", "arm64"])), invocation=draw(st.sampled_from([None, "sync", "async"])),
        on_ec2=draw(st.sampled_from(["application", "containers", "kubernetes"])),
        lambda_package=draw(st.sampled_from(["zip", "image"])))
    return Profile(security_hours_per_month=draw(st.sampled_from([0, 5, 20, 35, 60, 90, 200])),
                   patching_staff=draw(st.integers(0, 3)),
                   customisation=draw(st.sampled_from(["none", "low", "medium", "high"])),
                   isolation=draw(st.sampled_from(["standard", "strong", "dedicated"])), workload=workload,
                   services=CATALOG, overlay=draw(st.sampled_from([None, "platform_team"])),
                   calibration=draw(st.sampled_from([None, "regulated_change_control"])))


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(profile=profiles())
def test_every_sentence_of_an_answer_is_fit_to_quote(kb, profile):
    for sentence in sentences_of(rank(kb, profile).as_dict()):
        assert_quotable(sentence, kb)


@pytest.mark.parametrize("overlay", [None, "platform_team"])
def test_every_comparison_summary_is_fit_to_quote(kb, overlay):
    for old, new in permutations(CATALOG, 2):
        assert_quotable(compare(kb, old, new, overlay)["summary"], kb)


def test_the_words_people_complained_about_are_gone(kb):
    answer = rank(kb, Profile(20, 0, "none", "dedicated", services=CATALOG)).as_dict()
    text = " ".join(sentences_of(answer))
    assert "but lambda offers" not in text and "fargate offers" not in text
    assert "covers the none level" not in text
    assert "its patching and container runtime" not in text
    assert "The team needs no control beneath its code" in text


def test_every_figure_limit_of_every_service_reads_as_english(kb):
    from advisor import Profile, Workload, rank
    for service in kb.services.values():
        for limit in (limit for limit in service.limits if limit.kind == "max"):
            workload = Workload(**dict(limit.when), **{limit.field: limit.value + 1})
            profile = Profile(security_hours_per_month=20, patching_staff=0, customisation="low",
                              isolation="standard", workload=workload, services=(service.id,))
            for blocker in rank(kb, profile).ranking[0].blockers:
                assert_quotable(blocker.sentence + ".", kb)


@settings(max_examples=2000, deadline=None)
@given(value=st.one_of(st.floats(allow_nan=False, allow_infinity=False),
                       st.integers(-10**7, 10**7).map(lambda n: n / 1000),
                       st.integers(-10**6, 10**6).map(lambda n: (n + 0.5) / 100)),
       digits=st.integers(0, 6))
def test_rounding_gives_the_float_and_the_zero_sign_round_gives(value, digits):
    expected = round(value, digits)
    got = rounded(value, digits)
    assert got == expected and math.copysign(1, got) == math.copysign(1, expected)
