"""One source per parameter: the bundled default profile holds every fitted threshold, the constructors read it."""

import inspect
import json

import pytest

from crosscheck.aggregate import TopicAggregator
from crosscheck.align import HybridAligner
from crosscheck.config import PROFILES, bundled_default, load_profile
from crosscheck.errors import InputError
from crosscheck.judge import RuleJudge
from crosscheck.pipeline import Checker

STAGE_CLASSES = {"aligner": HybridAligner, "judge": RuleJudge, "aggregator": TopicAggregator}


@pytest.mark.parametrize("section", sorted(STAGE_CLASSES))
def test_constructor_defaults_are_the_bundled_profile(section):
    profile = json.loads((PROFILES / "default.json").read_text())[section]
    params = inspect.signature(STAGE_CLASSES[section]).parameters
    assert profile, section
    for name, value in profile.items():
        assert params[name].default == value, f"{section}.{name}"


def test_checker_builds_the_same_stages_as_the_constructors():
    built = Checker().stages()
    for section, cls in STAGE_CLASSES.items():
        for name in load_profile("default")[section]:
            assert getattr(built[section], name) == getattr(cls(), name), f"{section}.{name}"


def test_a_profile_overrides_and_unknown_settings_are_typed_errors():
    prof = load_profile("default")
    prof["aligner"] = {**prof["aligner"], "min_similarity": 0.7}
    assert Checker(profile=prof).stages()["aligner"].min_similarity == 0.7
    with pytest.raises(InputError, match=r"\[E054\].*bogus"):
        Checker(profile={"judge": {"bogus": 1}}).stages()
    with pytest.raises(InputError, match=r"\[E054\]"):
        Checker(profile={"aligner": [0.5]}).stages()
    with pytest.raises(InputError, match=r"\[E053\]"):
        bundled_default("judge", "no_such_setting")
