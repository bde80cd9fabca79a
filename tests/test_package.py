"""The wheel: built from this repository, installed into a fresh venv, it brings the plugin, the
theme and the `journal` command; `journal init` there writes a blog that builds with nothing else.

The fresh venv sees the test venv's libraries through a plain path line (not the test venv's
.pth files, so the editable install of this project stays out of it): the wheel is installed
with --no-deps, and everything learning_journal imports must come from the wheel.
"""

import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sitebuild import PROJECT
from test_cli import post

PACKAGE_SOURCES = PROJECT / "plugins" / "learning_journal"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(folder), str(PROJECT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (found,) = folder.glob("learning_journal-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh venv with the wheel installed; its bin/ folder."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    (site_packages,) = (venv / "lib").glob("python3*/site-packages")
    (site_packages / "test_venv_libraries.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "-q", "--no-deps",
         "--no-index", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return venv / "bin"


def run(command: list, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300, check=False)


def test_the_wheel_holds_every_module_and_the_theme(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {f"learning_journal/{p.relative_to(PACKAGE_SOURCES).as_posix()}" for p in PACKAGE_SOURCES.rglob("*.py")
               if "__pycache__" not in p.parts}
    theme = {f"learning_journal/theme/{p.relative_to(PROJECT / 'theme').as_posix()}"
             for p in (PROJECT / "theme").rglob("*") if p.is_file()}
    assert modules - names == set()
    assert theme - names == set()
    assert "learning_journal/theme/templates/base.html" in names


def test_installed_package_is_the_wheel_not_this_checkout(installed, tmp_path):
    where = "import learning_journal; print(learning_journal.__file__)"
    found = run([str(installed / "python"), "-c", where], tmp_path)
    assert found.returncode == 0, found.stderr
    assert Path(found.stdout.strip()).is_relative_to(installed.parent)


def test_journal_init_then_build_in_an_empty_folder(installed, tmp_path):
    blog = tmp_path / "new-blog"
    made = run([str(installed / "journal"), "init", str(blog), "--title", 'Ada\'s "Notes"'], tmp_path)
    assert made.returncode == 0, made.stderr
    written = sorted(p.relative_to(blog).as_posix() for p in blog.rglob("*") if p.is_file())
    assert "pelicanconf.py" in written and "publishconf.py" in written and ".gitignore" in written
    assert any(name.startswith(".github/workflows/") for name in written)
    assert "content/series/first-steps.md" in written
    assert not (blog / "theme").exists() and not (blog / "plugins").exists()

    built = run([str(installed / "journal"), "build"], blog)
    assert built.returncode == 0, built.stderr + built.stdout
    home = BeautifulSoup((blog / "output" / "index.html").read_text(encoding="utf-8"), "lxml")
    assert home.title.get_text() == 'Ada\'s "Notes"'
    post_page = blog / "output" / "01-hello" / "index.html"  # the file name: content/first-steps/01-hello.md
    page = BeautifulSoup(post_page.read_text(encoding="utf-8"), "lxml")
    assert page.h1.get_text() == "Hello, learning in public"
    series_page = blog / "output" / "series" / "first-steps" / "index.html"
    series = BeautifulSoup(series_page.read_text(encoding="utf-8"), "lxml")
    assert "one small step at a time" in series.get_text()
    assert (blog / "output" / "theme" / "css" / "main.css").is_file()


def test_a_local_template_overrides_the_shipped_one(installed, tmp_path):
    blog = tmp_path / "blog"
    assert run([str(installed / "journal"), "init", str(blog)], tmp_path).returncode == 0
    (blog / "theme" / "templates").mkdir(parents=True)
    (blog / "theme" / "templates" / "404.html").write_text(
        '{% extends "base.html" %}{% block content %}<p id="mine">My own lost page</p>{% endblock %}'
    )
    built = run([str(installed / "journal"), "build"], blog)
    assert built.returncode == 0, built.stderr
    page = BeautifulSoup((blog / "output" / "404.html").read_text(encoding="utf-8"), "lxml")
    assert page.find(id="mine").get_text() == "My own lost page"
    assert page.find("link", rel="stylesheet")  # the shipped base.html still frames it


def test_init_refuses_to_write_over_files_and_names_them(tmp_path):
    blog = tmp_path / "blog"
    (blog / "content").mkdir(parents=True)
    (blog / "pelicanconf.py").write_text("# mine\n")
    (blog / "content" / "mine.md").write_text(post("Mine", "2024-01-01"))
    result = subprocess.run(
        [sys.executable, "-m", "learning_journal.tools.cli", "init", str(blog)],
        capture_output=True, text=True, cwd=tmp_path, timeout=60,
    )
    assert result.returncode == 1
    assert "pelicanconf.py" in result.stderr and "nothing written" in result.stderr
    assert (blog / "pelicanconf.py").read_text() == "# mine\n"
    assert not (blog / "publishconf.py").exists() and not (blog / ".gitignore").exists()
