"""Recent answers: a profile sent again gets the same answer without being ranked anew."""
import json

import pytest

from advisor import Profile, profile_as_dict, rank
from advisor.answers import RecentAnswers
from app import create_app

PROFILE = {"security_hours_per_month": 20, "patching_staff": 0, "customisation": "low", "isolation": "standard"}


def _ranked(cache, kb, profile):
    return cache.rank(kb, profile, profile_as_dict(profile)).as_dict()


def test_a_profile_sent_again_is_answered_from_the_cache_with_the_same_bytes(fixture_kb):
    cache = RecentAnswers(8)
    profile = Profile(20, 0, "low", "standard")
    first = json.dumps(_ranked(cache, fixture_kb, profile), sort_keys=True)
    answers = [json.dumps(_ranked(cache, fixture_kb, Profile(20, 0, "low", "standard")), sort_keys=True)
               for _ in range(3)]
    assert answers == [first] * 3 and first == json.dumps(rank(fixture_kb, profile).as_dict(), sort_keys=True)
    assert (cache.hits, cache.misses) == (2, 2)


def test_a_profile_is_kept_the_second_time_it_is_ranked_not_the_first(fixture_kb):
    cache = RecentAnswers(8)
    profile = Profile(20, 0, "low", "standard")
    _ranked(cache, fixture_kb, profile)
    assert len(cache) == 0
    _ranked(cache, fixture_kb, profile)
    assert len(cache) == 1 and cache.hits == 0
    _ranked(cache, fixture_kb, profile)
    assert cache.hits == 1


def test_a_first_ranking_is_remembered_only_among_the_last_four_times_size(fixture_kb):
    cache = RecentAnswers(2)
    first = Profile(1, 0, "low", "standard")
    _ranked(cache, fixture_kb, first)
    for hours in range(2, 10):  # eight other profiles, each ranked once
        _ranked(cache, fixture_kb, Profile(hours, 0, "low", "standard"))
    _ranked(cache, fixture_kb, first)  # forgotten: counts as a first ranking again
    assert len(cache) == 0
    _ranked(cache, fixture_kb, first)
    assert len(cache) == 1


def test_profiles_that_differ_only_in_how_a_number_is_written_keep_their_own_answers(fixture_kb):
    cache = RecentAnswers(8)
    whole = _ranked(cache, fixture_kb, Profile(20, 0, "low", "standard"))
    decimal = _ranked(cache, fixture_kb, Profile(20.0, 0, "low", "standard"))
    assert cache.hits == 0
    assert json.dumps(whole["ranking"][0]["capacity_hours_per_month"]) == "20"
    assert json.dumps(decimal["ranking"][0]["capacity_hours_per_month"]) == "20.0"


def test_the_answer_of_one_knowledge_base_is_never_given_for_another(kb, fixture_kb):
    cache = RecentAnswers(8)
    profile = Profile(20, 0, "low", "standard")
    assert _ranked(cache, fixture_kb, profile)["knowledge_base_version"] == fixture_kb.version
    assert _ranked(cache, kb, profile)["knowledge_base_version"] == kb.version
    assert cache.hits == 0


def test_the_cache_keeps_only_the_most_recently_used_answers(fixture_kb):
    cache = RecentAnswers(2)
    profiles = [Profile(hours, 0, "low", "standard") for hours in (10, 20, 30)]
    for profile in (profiles[0], profiles[1]) * 2:  # each kept on its second ranking
        _ranked(cache, fixture_kb, profile)
    assert (len(cache), cache.misses) == (2, 4)
    _ranked(cache, fixture_kb, profiles[0])  # used again: now the most recent
    _ranked(cache, fixture_kb, profiles[2])
    _ranked(cache, fixture_kb, profiles[2])  # the cache is full: the 20-hour answer goes
    assert len(cache) == 2
    _ranked(cache, fixture_kb, profiles[0])
    assert cache.hits == 2
    _ranked(cache, fixture_kb, profiles[1])
    assert cache.misses == 7


def test_size_zero_turns_the_cache_off(fixture_kb):
    cache = RecentAnswers(0)
    profile = Profile(20, 0, "low", "standard")
    assert _ranked(cache, fixture_kb, profile) == _ranked(cache, fixture_kb, profile)
    assert len(cache) == 0 and cache.hits == 0


def test_a_cached_answer_still_carries_todays_staleness_warning(fixture_app, fixture_client):
    fixture_app.config["TODAY"] = fixture_app.extensions["advisor.kb"].reviewed_on
    for _ in range(2):  # kept on its second ranking
        fresh = fixture_client.post("/api/v1/recommendations", json=PROFILE)
        assert fresh.status_code == 200 and fresh.get_json()["warnings"] == []
    fixture_app.config["TODAY"] = fixture_app.extensions["advisor.kb"].reviewed_on.replace(year=2030)
    later = fixture_client.post("/api/v1/recommendations", json=PROFILE)
    assert fixture_app.extensions["advisor.service"].answers.hits == 1
    assert [w["code"] for w in later.get_json()["warnings"]] == ["stale_knowledge_base"]
    assert later.get_json()["ranking"] == fresh.get_json()["ranking"]


def test_a_negative_cache_size_is_refused_at_start(monkeypatch, tmp_path):
    monkeypatch.setenv("ADVISOR_ANSWER_CACHE", "-1")
    with pytest.raises(ValueError, match="ADVISOR_ANSWER_CACHE"):
        create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{tmp_path / 'a.sqlite3'}"})
