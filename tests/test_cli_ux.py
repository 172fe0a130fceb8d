"""The command line's manners: quiet model loading, a progress bar, ``--fail-on conflict``, ``compare --text``."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

import pytest

from crosscheck.quiet import quiet_model_loading

from .conftest import EXAMPLES, ROOT

#: What a tqdm bar leaves in a stream: the block characters, the "n/total" counter's bars, a carriage return.
BAR_MARKS = ("\u2588", "%|", "it/s", "\r")


def _clean_env() -> dict[str, str]:
    """The environment of a subprocess, without the variables that would hide the libraries' output anyway."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("HF_HUB_DISABLE_PROGRESS_BARS", "TRANSFORMERS_VERBOSITY", "TRANSFORMERS_NO_ADVISORY_WARNINGS",
                        "PYTHONWARNINGS")}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


# ---- 1: the model libraries are silent ------------------------------------------------------------------------------
def test_cli_json_output_has_no_progress_bars_or_warnings():
    cmd = [sys.executable, "-m", "crosscheck.cli", "check", str(EXAMPLES / "assad.jsonl"), "--format", "json"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=_clean_env(), cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["reports"]
    assert "Loading weights" not in out.stderr
    assert not any(mark in out.stderr for mark in BAR_MARKS), out.stderr
    assert "warn" not in out.stderr.lower(), out.stderr


def test_the_scope_restores_the_libraries_settings():
    from huggingface_hub.utils import logging as hub_logging
    from transformers.utils import logging as tf_logging

    st_logger = logging.getLogger("sentence_transformers")
    saved = (tf_logging.get_verbosity(), tf_logging.is_progress_bar_enabled(), hub_logging.get_verbosity(),
             st_logger.level)
    try:
        tf_logging.set_verbosity_info()
        tf_logging.enable_progress_bar()
        hub_logging.set_verbosity_info()
        st_logger.setLevel(logging.DEBUG)
        with pytest.raises(RuntimeError), quiet_model_loading():
            assert not tf_logging.is_progress_bar_enabled()
            assert tf_logging.get_verbosity() == tf_logging.ERROR
            assert hub_logging.get_verbosity() == hub_logging.ERROR
            assert st_logger.level == logging.ERROR
            with quiet_model_loading():  # nested scopes restore their own view
                pass
            assert not tf_logging.is_progress_bar_enabled()
            raise RuntimeError("a failed load")
        assert tf_logging.is_progress_bar_enabled()
        assert tf_logging.get_verbosity() == tf_logging.INFO
        assert hub_logging.get_verbosity() == hub_logging.INFO
        assert st_logger.level == logging.DEBUG
        tf_logging.disable_progress_bar()
        with quiet_model_loading():
            pass
        assert not tf_logging.is_progress_bar_enabled()  # a caller's "off" stays off
    finally:
        tf_logging.set_verbosity(saved[0])
        (tf_logging.enable_progress_bar if saved[1] else tf_logging.disable_progress_bar)()
        hub_logging.set_verbosity(saved[2])
        st_logger.setLevel(saved[3])


def test_loading_the_models_prints_nothing_and_changes_no_setting(capfd):
    from transformers.utils import logging as tf_logging

    from crosscheck.embed import MiniLMEmbedder
    from crosscheck.judge import CrossEncoderNLI

    before = (tf_logging.get_verbosity(), tf_logging.is_progress_bar_enabled())
    capfd.readouterr()
    assert MiniLMEmbedder()(["Assad fled."]).shape == (1, 384)  # fresh objects: the loading code runs here
    assert CrossEncoderNLI().predict([("Assad fled.", "Assad left Syria.")]).shape == (1, 3)
    out, err = capfd.readouterr()
    assert out == "" and err == ""
    assert (tf_logging.get_verbosity(), tf_logging.is_progress_bar_enabled()) == before
