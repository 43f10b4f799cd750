"""Every kind of blocker says what would make the service eligible, and doing that really does."""
from dataclasses import replace

import pytest

from advisor import Profile, Workload, rank

BASE = Profile(security_hours_per_month=20, patching_staff=0, customisation="low", isolation="standard")


def blockers_of(kb, profile, service):
    return next(r for r in rank(kb, profile).ranking if r.service == service).blockers


def eligible(kb, profile, service):
    return not blockers_of(kb, profile, service)


# Values outside what an "allowed" limit lists, for each field such a limit can name.
CHOICES = {"os": ("linux", "windows"), "arch": ("x86_64", "arm64"), "invocation": ("sync", "async"),
           "lambda_package": ("zip", "image"), "on_ec2": ("application", "containers", "kubernetes")}
STEP = {"max_duration_minutes": 1, "memory_gb": 1, "vcpu": 1, "ephemeral_storage_gb": 1}


def beyond_and_within(limit) -> tuple[Workload, Workload]:
    """A workload the limit rules out, and the one its unblock asks for (the limit's own conditions kept)."""
    when = dict(limit.when)
    if limit.kind == "max":
        return (Workload(**when, **{limit.field: limit.value + STEP[limit.field]}),
                Workload(**when, **{limit.field: limit.value}))
    if limit.kind == "not_supported":
        return Workload(**when, **{limit.field: True}), Workload(**when)
    outside = next(value for value in CHOICES[limit.field] if value not in limit.values)
    return Workload(**when, **{limit.field: outside}), Workload(**when, **{limit.field: limit.values[0]})


def limits_of(kb):
    return [(service, limit) for service in kb.services.values() for limit in service.limits]


@pytest.mark.parametrize("knowledge", ["fixture_kb", "kb"])
def test_every_limit_blocker_says_what_would_make_the_service_eligible_and_doing_it_lifts_it(request, knowledge):
    kb = request.getfixturevalue(knowledge)
    assert limits_of(kb)
    for service, limit in limits_of(kb):
        asked, change = beyond_and_within(limit)
        field = f"workload.{limit.field}"
        blocker = next(b for b in blockers_of(kb, replace(BASE, workload=asked, services=(service.id,)), service.id)
                       if b.field == field and limit.unblock in b.unblock)
        assert blocker.unblock.startswith(f"{service.name} becomes eligible if {limit.unblock}")
        assert blocker.unblock.endswith("."), (service.id, limit.label)
        after = blockers_of(kb, replace(BASE, workload=change, services=(service.id,)), service.id)
        assert not [b for b in after if limit.unblock in b.unblock], (service.id, limit.label)


@pytest.mark.parametrize("service, words", [("tasks", "a virtual machine per task"),
                                            ("functions", "a microVM per execution environment")])
def test_an_isolation_blocker_says_which_isolation_would_do(fixture_kb, service, words):
    (blocker,) = blockers_of(fixture_kb, replace(BASE, isolation="dedicated"), service)
    assert blocker.field == "isolation"
    assert blocker.unblock.startswith(f"{fixture_kb.services[service].name} becomes eligible if ")
    assert words in blocker.unblock and "(strong isolation)" in blocker.unblock
    assert eligible(fixture_kb, replace(BASE, isolation="strong"), service)


def test_with_several_blockers_each_says_the_others_must_go_too(fixture_kb):
    three = Workload(max_duration_minutes=60, always_on=True, gpu=True)
    blockers = blockers_of(fixture_kb, replace(BASE, workload=three), "functions")
    assert len(blockers) == 3
    for blocker in blockers:
        assert blocker.unblock.endswith(", and if its 2 other hard limits are met too.")
    two = blockers_of(fixture_kb, replace(BASE, isolation="dedicated", workload=Workload(gpu=True)), "tasks")
    assert [b.unblock.endswith(", and if its other hard limit is met too.") for b in two] == [True, True]


def test_a_single_blocker_says_nothing_of_others(fixture_kb):
    (blocker,) = blockers_of(fixture_kb, replace(BASE, workload=Workload(max_duration_minutes=60)), "functions")
    assert blocker.unblock == "Functions becomes eligible if runs fit in 10 minutes."


def test_every_limit_and_unsupported_isolation_level_in_the_knowledge_base_has_an_unblock(kb):
    for service in kb.services.values():
        for limit in service.limits:
            assert limit.unblock.strip() and not limit.unblock.endswith("."), (service.id, limit.label)
        for level, support in service.isolation.items():
            if support.support == "no":
                assert support.unblock.strip() and not support.unblock.endswith("."), (service.id, level)
