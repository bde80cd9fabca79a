"""The locked environments: requirements/test.lock and bench.lock must cover pyproject.toml.

A fresh clone installs the tests' environment from the lock (README, .ci/run), not from the
ranges of pyproject.toml; a dependency added or narrowed there without re-locking would be
missing or stale in every fresh install. These tests read the real files and say what to run.
"""

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
RELOCK = "run requirements/relock (it rewrites requirements/test.lock and bench.lock)"
LOCKS = {"test.lock": ["test"], "bench.lock": ["test", "bench"]}  # lock -> extras it holds
DIRECT = "learning-journal (pyproject.toml)"  # how uv names pyproject.toml in `# via` lines


@dataclass
class Pin:
    requirement: Requirement
    hashes: list[str] = field(default_factory=list)
    via: list[str] = field(default_factory=list)


def read_lock(name: str) -> list[Pin]:
    """The pins of a lock written by `uv pip compile --generate-hashes`, with hashes and `# via` names."""
    pins: list[Pin] = []
    for line in (ROOT / "requirements" / name).read_text(encoding="utf-8").splitlines():
        text = line.strip()
        if line and not line[0].isspace() and not line.startswith("#"):
            pins.append(Pin(Requirement(line.removesuffix("\\").strip())))
        elif text.startswith("--hash="):
            pins[-1].hashes.append(text.removesuffix("\\").strip())
        elif pins and text.startswith("# via "):
            pins[-1].via.append(text.removeprefix("# via ").strip())
        elif pins and text.startswith("#   "):
            pins[-1].via.append(text.removeprefix("#").strip())
    return pins


def declared(extras: list[str]) -> list[Requirement]:
    """What pyproject.toml asks for: the build backend, the dependencies and the given extras."""
    lines = PYPROJECT["build-system"]["requires"] + PYPROJECT["project"]["dependencies"]
    for extra in extras:
        lines = lines + PYPROJECT["project"]["optional-dependencies"][extra]
    return [Requirement(line) for line in lines]


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_every_requirement_of_pyproject_is_pinned_within_its_range(lock):
    pins = read_lock(lock)
    by_name: dict[str, list[Pin]] = {}
    for pin in pins:
        by_name.setdefault(canonicalize_name(pin.requirement.name), []).append(pin)
    problems = []
    for wanted in declared(LOCKS[lock]):
        found = by_name.get(canonicalize_name(wanted.name), [])
        if not found:
            problems.append(f"{wanted} is not in requirements/{lock}")
        for pin in found:
            (version,) = (spec.version for spec in pin.requirement.specifier)
            if not wanted.specifier.contains(version, prereleases=True):
                problems.append(f"requirements/{lock} pins {pin.requirement}, outside {wanted}")
    assert not problems, "\n".join(problems) + f"\n{RELOCK}"


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_every_pin_is_one_exact_version_with_hashes(lock):
    pins = read_lock(lock)
    assert len(pins) > len(declared(LOCKS[lock]))  # the dependencies of the dependencies too
    for pin in pins:
        (spec,) = pin.requirement.specifier
        assert spec.operator == "==", pin.requirement
        assert pin.hashes and all(re.fullmatch(r"--hash=sha256:[0-9a-f]{64}", h) for h in pin.hashes), pin


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_no_pin_is_left_from_a_dependency_that_pyproject_dropped(lock):
    names = {canonicalize_name(r.name) for r in declared(LOCKS[lock])}
    stale = [str(pin.requirement) for pin in read_lock(lock)
             if DIRECT in pin.via and canonicalize_name(pin.requirement.name) not in names]
    assert not stale, f"requirements/{lock} pins {stale} for pyproject.toml, which no longer asks for them; {RELOCK}"


def fenced_commands(markdown: str) -> list[str]:
    """The lines of the ```bash blocks of a Markdown text, in order."""
    blocks = re.findall(r"^```bash\n(.*?)^```", markdown, flags=re.S | re.M)
    return [line for block in blocks for line in block.splitlines() if line.strip()]


def test_ci_ends_with_the_readme_test_command_which_installs_from_the_lock():
    readme = fenced_commands((ROOT / "README.md").read_text(encoding="utf-8"))
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    build_command, test_command = readme[:2]
    assert "journal build" in build_command
    assert ci_lines[-1] == test_command
    assert "pip install --require-hashes -r requirements/test.lock" in test_command
    assert test_command.endswith("python -m pytest")
