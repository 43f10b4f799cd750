"""Plainly valid profiles skip marshmallow's machinery and still load to exactly what marshmallow gives."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow import Schema, ValidationError

from schemas.profile import _plain_profile, profile_schema


def number(low, high, **bounds):
    return st.one_of(st.integers(min_value=max(int(low), 1 if bounds else 0), max_value=int(high)),
                     st.floats(min_value=low, max_value=high, **bounds))


WORKLOAD = st.fixed_dictionaries({}, optional={
    **{key: number(0, 1_000_000, exclude_min=True)
       for key in ("max_duration_minutes", "memory_gb", "vcpu", "ephemeral_storage_gb")},
    **{key: st.booleans() for key in ("gpu", "privileged", "always_on")},
    "os": st.sampled_from(["linux", "windows"]),
})
WEIGHTS = st.fixed_dictionaries({}, optional={
    key: number(0, 1000) for key in ("burden", "patching", "customisation", "isolation", "simplicity")})
VALID = st.fixed_dictionaries(
    {"security_hours_per_month": number(0, 100_000), "patching_staff": st.integers(0, 10_000),
     "customisation": st.sampled_from(["none", "low", "medium", "high"]),
     "isolation": st.sampled_from(["standard", "strong", "dedicated"])},
    optional={"workload": WORKLOAD, "weights": WEIGHTS, "name": st.text(min_size=1, max_size=200),
              "services": st.lists(st.sampled_from(["ec2", "ecs", "fargate", "lambda", "x_1"]), min_size=1,
                                   max_size=4, unique=True)},
)
OTHER_TYPES = [True, False, None, "20", "true", "", [], {}, [1]]


def odd_numbers(high):
    """Numbers at and just past the bounds, and values marshmallow converts or refuses."""
    return [-1, -0.0, 0, 0.0, 1, high, high + 0.5, high + 1, 2 ** 60, 10 ** 400, float("inf"), float("nan"), *OTHER_TYPES]


# Where a valid profile can be spoiled, and the odd values to spoil it with.
PLACES = {
    ("security_hours_per_month",): odd_numbers(100_000), ("patching_staff",): odd_numbers(10_000),
    ("customisation",): ["LOW", "total", 1, *OTHER_TYPES],
    ("isolation",): ["Strong", "full", *OTHER_TYPES],
    ("workload",): [*OTHER_TYPES, {"colour": 1}],
    ("weights",): [*OTHER_TYPES, {"burden": 0, "patching": 0, "customisation": 0, "isolation": 0, "simplicity": 0}],
    ("name",): ["x" * 200, "x" * 201, "Payments\nAPI", "Payments\u2028API", "Payments\x7fAPI", "\tTabbed", 1,
                *OTHER_TYPES],
    ("services",): [["ec2", "ec2"], ["ec2\n"], ["EC2"], ["a" * 64], ["a" * 65], ["lambda"] * 51,
                    [f"s{i}" for i in range(50)], [f"s{i}" for i in range(51)], [1], ["ec2", None], *OTHER_TYPES],
    ("colour",): OTHER_TYPES,
    **{("workload", key): odd_numbers(1_000_000)
       for key in ("max_duration_minutes", "memory_gb", "vcpu", "ephemeral_storage_gb")},
    **{("workload", key): [0, 1, 2, 0.0, 1.0, "true", "no", "1", None, []] for key in ("gpu", "privileged", "always_on")},
    ("workload", "os"): ["Linux", "macos", *OTHER_TYPES],
    ("workload", "colour"): OTHER_TYPES,
    **{("weights", key): odd_numbers(1000) for key in ("burden", "patching", "customisation", "isolation", "simplicity")},
    ("weights", "colour"): OTHER_TYPES,
}


def spoil(data: dict, place: tuple, value) -> dict:
    data = dict(data)
    if len(place) == 1:
        data[place[0]] = value
    elif isinstance(data.get(place[0], {}), dict):
        data[place[0]] = {**data.get(place[0], {}), place[1]: value}
    return data


@st.composite
def profiles(draw):
    """A valid profile with none, one or two of its values swapped for an odd one."""
    data = draw(VALID)
    for place in draw(st.lists(st.sampled_from(list(PLACES)), max_size=2)):
        data = spoil(data, place, draw(st.sampled_from(PLACES[place])))
    return data


def marshmallow_answer(data):
    try:
        return repr(Schema.load(profile_schema, data))
    except ValidationError as exc:
        return exc.messages


def assert_loads_as_marshmallow_would(data):
    expected = marshmallow_answer(data)
    shortcut = _plain_profile(data)
    if shortcut is not None:
        assert repr(shortcut) == expected, data
    try:
        answer = repr(profile_schema.load(data))
    except ValidationError as exc:
        answer = exc.messages
    assert answer == expected, data


FULL = {"security_hours_per_month": 20, "patching_staff": 1, "customisation": "low", "isolation": "standard",
        "workload": {"max_duration_minutes": 5, "memory_gb": 2.5, "gpu": False, "os": "linux"},
        "weights": {"burden": 1, "simplicity": 0.5}, "name": "Payments API", "services": ["lambda", "ec2"]}


@pytest.mark.parametrize("base", [FULL, {k: FULL[k] for k in list(FULL)[:4]}], ids=["every field", "required only"])
def test_each_odd_value_in_each_place_loads_as_marshmallow_alone_would(base):
    for place, values in PLACES.items():
        for value in values:
            assert_loads_as_marshmallow_would(spoil(base, place, value))


@settings(max_examples=400, deadline=None)
@given(profiles())
def test_any_mix_of_odd_values_loads_as_marshmallow_alone_would(data):
    assert_loads_as_marshmallow_would(data)


@pytest.mark.parametrize("extra", [
    {},
    {"workload": {"max_duration_minutes": 60, "memory_gb": 2, "gpu": False, "os": "linux"}},
    {"weights": {"burden": 1, "simplicity": 0.5}, "name": "Payments API", "services": ["lambda", "ec2"]},
])
def test_plainly_valid_profiles_take_the_shortcut(profile, extra):
    data = {**profile, **extra}
    assert _plain_profile(data) is not None
    assert repr(_plain_profile(data)) == marshmallow_answer(data)
