"""Load models without the model libraries' chatter: no progress bars, no warnings, then put everything back.

transformers draws a "Loading weights" bar for every model it loads (sentence-transformers loads MiniLM through it)
and logs warnings about the checkpoint. :func:`quiet_model_loading` silences them at their source for the length of
a load and then restores each setting it touched to what it was before, so the calling process keeps its own
verbosity and progress-bar choices:

* transformers: its log verbosity (``transformers.utils.logging``) and its progress-bar switch;
* huggingface_hub: its log verbosity and its progress-bar states (transformers' switch also flips these);
* sentence-transformers: the level of its ``sentence_transformers`` logger;
* Python warnings raised during the load (``warnings.catch_warnings``).

>>> from transformers.utils import logging as tlog
>>> before = (tlog.get_verbosity(), tlog.is_progress_bar_enabled())
>>> with quiet_model_loading():
...     tlog.is_progress_bar_enabled(), tlog.get_verbosity() == tlog.ERROR
(False, True)
>>> (tlog.get_verbosity(), tlog.is_progress_bar_enabled()) == before
True
"""

from __future__ import annotations

import logging
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: Held while a scope is open: loads in several threads take turns, so each one restores what it saw.
_LOCK = threading.RLock()
#: Python loggers of the model libraries that are not covered by transformers' verbosity.
LOGGERS = ("sentence_transformers",)


def _quiet_hub(undo: list[Callable[[], None]]) -> None:
    """huggingface_hub: verbosity to ERROR; its progress-bar states remembered (transformers' switch changes them)."""
    try:
        from huggingface_hub.utils import logging as hub_logging
        from huggingface_hub.utils import tqdm as hub_tqdm
    except ImportError:  # pragma: no cover - installed with transformers
        return
    verbosity = hub_logging.get_verbosity()
    hub_logging.set_verbosity_error()
    undo.append(lambda: hub_logging.set_verbosity(verbosity))
    states = getattr(hub_tqdm, "progress_bar_states", None)
    if isinstance(states, dict):
        saved = dict(states)

        def restore_states() -> None:
            states.clear()
            states.update(saved)

        undo.append(restore_states)


def _quiet_transformers(undo: list[Callable[[], None]]) -> None:
    """transformers: verbosity to ERROR and its progress bars off ("Loading weights")."""
    try:
        from transformers.utils import logging as tf_logging
    except ImportError:  # pragma: no cover - a dependency
        return
    verbosity = tf_logging.get_verbosity()
    tf_logging.set_verbosity_error()
    undo.append(lambda: tf_logging.set_verbosity(verbosity))
    if tf_logging.is_progress_bar_enabled():
        tf_logging.disable_progress_bar()
        undo.append(tf_logging.enable_progress_bar)


def _quiet_loggers(undo: list[Callable[[], None]]) -> None:
    """The other libraries' Python loggers to ERROR (their own level restored afterwards, NOTSET included)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        level = logger.level
        logger.setLevel(max(level, logging.ERROR))
        undo.append(lambda logger=logger, level=level: logger.setLevel(level))


@contextmanager
def quiet_model_loading() -> Iterator[None]:
    """A scope in which the model libraries print no progress bar, log nothing below ERROR and raise no warnings.

    Every setting changed is put back on exit (in reverse order, even when the load fails), so nothing outlives the
    scope. Scopes nest, and threads take turns (a re-entrant lock). Python's warning filters are process-wide: a
    warning another thread raises during a load is dropped too, which is why the scope should cover only a load.
    """
    with _LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        undo: list[Callable[[], None]] = []
        try:
            # the hub's states first: transformers' switch writes them, and they are restored last
            _quiet_hub(undo)
            _quiet_transformers(undo)
            _quiet_loggers(undo)
            yield
        finally:
            for step in reversed(undo):
                step()
