"""The what-if search's shortcuts give the winner a full re-ranking of the changed profile gives.

The robustness analysis re-ranks a profile many times with one workload input changed. It does so
cheaply: a workload figure or flag only moves services between blocked and not, and a workload choice
only changes the services whose ownership or limits read it. Here each shortcut is held to the plain
way, ranking the changed profile from scratch, over a few hundred generated profiles, so that making the
analysis faster can never change which service an answer says would come first.
"""
import random
from dataclasses import replace

import pytest

from advisor.profile import WORKLOAD_CHOICES
from advisor.robustness import BOOLEAN_WORKLOAD, NUMERIC_WORKLOAD
from advisor.scoring import evaluate_all
from advisor.whatif import NONE_ELIGIBLE, Standings
from bench.profiles import profile_dicts
from schemas.profile import profile_schema


def _profiles(count: int, seed: int):
    rng = random.Random(seed)
    profiles = []
    for data in profile_dicts(count, seed):
        if rng.random() < 0.3:
            data.pop("services")  # the knowledge base's default services
        workload = data["workload"]
        workload["on_ec2"] = rng.choice(WORKLOAD_CHOICES["on_ec2"])
        workload["lambda_package"] = rng.choice(WORKLOAD_CHOICES["lambda_package"])
        for field in NUMERIC_WORKLOAD:
            if rng.random() < 0.2:
                workload.pop(field)
        profiles.append(profile_schema.load(data))
    return profiles


def _rerank_winner(kb, profile, standings: Standings, field: str, value) -> int:
    changed = replace(profile, workload=replace(profile.workload, **{field: value}))
    top = evaluate_all(kb, changed)[0]
    if top.blockers:
        return NONE_ELIGIBLE  # every service ruled out: the change recommends nothing
    return next(i for i, view in enumerate(standings.views) if view.service.id == top.view.service.id)


def _probe_values(standings: Standings, field: str, current) -> list:
    if field in BOOLEAN_WORKLOAD:
        return [True, False]
    if field in WORKLOAD_CHOICES:
        return list(WORKLOAD_CHOICES[field])
    values = {1, 1_000_000} | ({current} if current is not None else set())
    for view in standings.views:
        for limit in view.limits_by_field.get(field, ()):
            if limit.value is not None:
                values.update({max(1, limit.value - 1), limit.value, limit.value + 1, limit.value + 0.5})
    return sorted(values)


@pytest.mark.parametrize("seed", [21, 22])
def test_workload_shortcuts_pick_the_winner_a_full_reranking_picks(kb, seed):
    checked = 0
    for profile in _profiles(100, seed):
        standings = Standings(kb, profile, evaluate_all(kb, profile))
        asked = profile.workload.asked()
        for field in (*NUMERIC_WORKLOAD, *BOOLEAN_WORKLOAD, *WORKLOAD_CHOICES):
            for value in _probe_values(standings, field, asked[field]):
                fast = (standings.winner_with_choice(field, value) if field in ("on_ec2", "lambda_package")
                        else standings.winner_with_workload(field, value))
                assert fast == _rerank_winner(kb, profile, standings, field, value), (profile, field, value)
                checked += 1
    assert checked > 3000
