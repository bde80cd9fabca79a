import pytest
from sitebuild import SEEDS


@pytest.fixture
def seeds():
    if not SEEDS.is_dir():
        pytest.skip(f"the shared seeds are not beside this checkout ({SEEDS})")
    return SEEDS
