"""One build's own objects (report, cache, writer, series model) live in one typed state,
made afresh for every run and left out of the build cache's fingerprint by its type."""

from learning_journal.build.build_cache import BuildCache
from learning_journal.build.writer import JournalWriter
from learning_journal.build_state import BuildState, build_state
from learning_journal.report import BuildReport
from learning_journal.site.series import SeriesCatalog
from sitebuild import build_site, rebuild

POSTS = {
    "one.md": "---\ntitle: One\ndate: 2024-01-01\nseries: Habits\n---\nOne.\n",
    "two.md": "---\ntitle: Two\ndate: 2024-01-02\nseries: habits\n---\nTwo.\n",
}


def plugin_objects(settings) -> dict:
    return {key: value for key, value in settings.items() if type(value).__module__.startswith("learning_journal")}


def test_a_build_keeps_its_own_objects_in_one_state(tmp_path):
    site = build_site(tmp_path, POSTS)

    [state] = plugin_objects(site.settings).values()
    assert isinstance(state, BuildState) and state is build_state(site.settings)
    assert isinstance(state.report, BuildReport) and state.report.counts["published"] == 2
    assert isinstance(state.cache, BuildCache)
    assert isinstance(state.writer, JournalWriter)
    assert isinstance(state.series, SeriesCatalog)
    assert [series.name for series in state.series.series] == ["Habits"]


def test_every_run_gets_a_fresh_state_and_the_fingerprint_ignores_it(tmp_path):
    site = build_site(tmp_path, POSTS)
    first = build_state(site.settings)
    warnings = len(first.report.warnings)
    assert warnings == 1  # 'habits' is taken to be 'Habits'

    rebuild(site)
    second = build_state(site.settings)
    assert second is not first
    assert len(second.report.warnings) == warnings  # not carried over from the first run

    without_state = {key: value for key, value in site.settings.items() if not isinstance(value, BuildState)}
    assert BuildCache(site.settings).fingerprint == BuildCache(without_state).fingerprint
    assert BuildCache(site.settings).fingerprint != BuildCache({**without_state, "SITENAME": "Other"}).fingerprint
