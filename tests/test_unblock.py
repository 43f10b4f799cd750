"""Every kind of blocker says what would make the service eligible, and doing that really does."""
from dataclasses import replace

import pytest

from advisor import Profile, Workload, rank

BASE = Profile(security_hours_per_month=20, patching_staff=0, customisation="low", isolation="standard")


def blockers_of(kb, profile, service):
    return next(r for r in rank(kb, profile).ranking if r.service == service).blockers


def eligible(kb, profile, service):
    return not blockers_of(kb, profile, service)


# (what is asked, blocked service, blocker field, words the unblock must hold, the change it asks for)
KINDS = [
    pytest.param(Workload(max_duration_minutes=60), "lambda", "workload.max_duration_minutes",
                 "runs fit in 15 minutes, e.g. by splitting the job into steps", Workload(max_duration_minutes=15),
                 id="max-duration"),
    pytest.param(Workload(memory_gb=16), "lambda", "workload.memory_gb", "at most 10 GB of memory",
                 Workload(memory_gb=10), id="max-memory-lambda"),
    pytest.param(Workload(memory_gb=128), "fargate", "workload.memory_gb", "at most 120 GB of memory",
                 Workload(memory_gb=120), id="max-memory-fargate"),
    pytest.param(Workload(vcpu=32), "fargate", "workload.vcpu", "at most 16 vCPU", Workload(vcpu=16),
                 id="max-vcpu-fargate"),
    pytest.param(Workload(vcpu=8), "lambda", "workload.vcpu", "at most 6 vCPU", Workload(vcpu=6),
                 id="max-vcpu-lambda"),
    pytest.param(Workload(vcpu=8, os="windows"), "fargate", "workload.vcpu", "Windows task needs at most 4 vCPU",
                 Workload(vcpu=4, os="windows"), id="max-vcpu-when-windows"),
    pytest.param(Workload(ephemeral_storage_gb=50), "lambda", "workload.ephemeral_storage_gb",
                 "at most 10 GB of local scratch space", Workload(ephemeral_storage_gb=10), id="max-scratch-lambda"),
    pytest.param(Workload(ephemeral_storage_gb=500), "fargate", "workload.ephemeral_storage_gb",
                 "at most 200 GiB of local scratch space", Workload(ephemeral_storage_gb=200),
                 id="max-scratch-fargate"),
    pytest.param(Workload(gpu=True), "lambda", "workload.gpu", "runs without a GPU", Workload(), id="no-gpu-lambda"),
    pytest.param(Workload(gpu=True), "fargate", "workload.gpu", "runs without a GPU", Workload(), id="no-gpu-fargate"),
    pytest.param(Workload(privileged=True), "lambda", "workload.privileged", "no privileged access", Workload(),
                 id="no-privileged-lambda"),
    pytest.param(Workload(privileged=True), "fargate", "workload.privileged", "without privileged mode", Workload(),
                 id="no-privileged-fargate"),
    pytest.param(Workload(always_on=True), "lambda", "workload.always_on", "driven by requests or events",
                 Workload(), id="not-always-on"),
    pytest.param(Workload(os="windows"), "lambda", "workload.os", "the code runs on Linux", Workload(os="linux"),
                 id="allowed-os"),
]


@pytest.mark.parametrize("asked, service, field, words, change", KINDS)
def test_a_limit_blocker_says_what_would_make_the_service_eligible(kb, asked, service, field, words, change):
    blocker = next(b for b in blockers_of(kb, replace(BASE, workload=asked), service) if b.field == field)
    name = kb.services[service].name
    assert blocker.unblock.startswith(f"{name} becomes eligible if ")
    assert words in blocker.unblock and blocker.unblock.endswith(".")
    assert eligible(kb, replace(BASE, workload=change), service)


@pytest.mark.parametrize("service, words", [("fargate", "per-task VM isolation"), ("lambda", "microVM")])
def test_an_isolation_blocker_says_which_isolation_would_do(kb, service, words):
    (blocker,) = blockers_of(kb, replace(BASE, isolation="dedicated"), service)
    assert blocker.field == "isolation"
    assert blocker.unblock.startswith(f"{kb.services[service].name} becomes eligible if ")
    assert words in blocker.unblock and "(strong isolation)" in blocker.unblock
    assert eligible(kb, replace(BASE, isolation="strong"), service)


def test_with_several_blockers_each_says_the_others_must_go_too(kb):
    blockers = blockers_of(kb, replace(BASE, workload=Workload(max_duration_minutes=60, memory_gb=16, gpu=True)),
                           "lambda")
    assert len(blockers) == 3
    for blocker in blockers:
        assert blocker.unblock.endswith(", and if its 2 other hard limits are met too.")
    two = blockers_of(kb, replace(BASE, isolation="dedicated", workload=Workload(gpu=True)), "fargate")
    assert [b.unblock.endswith(", and if its other hard limit is met too.") for b in two] == [True, True]


def test_a_single_blocker_says_nothing_of_others(kb):
    (blocker,) = blockers_of(kb, replace(BASE, workload=Workload(max_duration_minutes=60)), "lambda")
    assert blocker.unblock == ("AWS Lambda becomes eligible if runs fit in 15 minutes, e.g. by splitting the job "
                               "into steps.")


def test_every_limit_and_unsupported_isolation_level_in_the_knowledge_base_has_an_unblock(kb):
    for service in kb.services.values():
        for limit in service.limits:
            assert limit.unblock.strip() and not limit.unblock.endswith("."), (service.id, limit.label)
        for level, support in service.isolation.items():
            if support.support == "no":
                assert support.unblock.strip() and not support.unblock.endswith("."), (service.id, level)
