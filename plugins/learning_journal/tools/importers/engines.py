"""Which engine built a site, told by the files each one requires; one reader per engine."""

from pathlib import Path

from . import astro, gatsby, hugo, jekyll

# Astro and Gatsby first: their sites may also hold a config.yml or a content/ folder.
ENGINES = {"astro": astro, "gatsby": gatsby, "hugo": hugo, "jekyll": jekyll}


class NotASite(Exception):
    """SOURCE_DIR is no site this command can read; the message says what to do."""


def detect(root: Path) -> str:
    found = [name for name, module in ENGINES.items() if module.is_site(root)]
    if not found:
        raise NotASite(
            f"{root}: no Jekyll (_config.yml, _posts/), Hugo (hugo.toml, config.toml), Astro "
            "(astro.config.mjs) or Gatsby (gatsby-config.js) site here; give the folder that holds "
            "the site's configuration, or name the engine with --from"
        )
    return found[0]


def read_site(root: Path, engine: str | None):
    if not root.is_dir():
        raise NotASite(f"{root}: no such folder; give the folder of the site to import")
    return ENGINES[engine or detect(root)].read_site(root)
