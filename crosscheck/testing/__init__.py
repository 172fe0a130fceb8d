"""Testing with crosscheck: the stage conformance kit and the helpers of CI checks over curated datasets.

- :func:`check_stage` (:mod:`crosscheck.testing.stages`): does a stage of your own honour its protocol?
- :func:`assert_consistent`, :func:`assert_no_new_conflicts` (:mod:`crosscheck.testing.asserts`): pytest-ready
  assertions over a dataset's reports, with golden files of the conflicts it is known to hold.
- The pytest plugin (:mod:`crosscheck.testing.plugin`, registered through the ``pytest11`` entry point, so
  installing crosscheck enables it): ``--crosscheck-update-golden`` and the ``crosscheck_checker`` fixture.
- :func:`junit`, :func:`github_annotations` (:mod:`crosscheck.testing.formats`): what ``crosscheck check --format
  junit`` and ``--format github`` write.

See docs/ci.md.
"""

from crosscheck.testing.asserts import assert_consistent, assert_no_new_conflicts, claim_key, finding_key
from crosscheck.testing.formats import github_annotations, junit
from crosscheck.testing.stages import HashEmbedder, check_stage, sample_reports

__all__ = ["HashEmbedder", "assert_consistent", "assert_no_new_conflicts", "check_stage", "claim_key",
           "finding_key", "github_annotations", "junit", "sample_reports"]
