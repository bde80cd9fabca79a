import os

import pytest
from hypothesis import HealthCheck, settings
from sitebuild import SEEDS

# Property tests are derandomized: every run, on every machine, tries the same examples, so the
# suite never fails by the luck of the draw. A failure found once is kept as an @example on its
# test (replayed first on every run). JOURNAL_FUZZ_EXAMPLES=1000 hunts with fresh random
# examples instead, keeping what fails in .hypothesis/ until it is fixed.
COMMON = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True)
settings.register_profile("journal", COMMON, derandomize=True)
settings.register_profile("hunt", COMMON, derandomize=False)
settings.load_profile("hunt" if os.environ.get("JOURNAL_FUZZ_EXAMPLES") else "journal")


@pytest.fixture
def seeds():
    if not SEEDS.is_dir():
        pytest.skip(f"the shared seeds are not beside this checkout ({SEEDS})")
    return SEEDS
