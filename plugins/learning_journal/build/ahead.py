"""The page of a post whose text was edited, made before its rebuild (`journal serve`).

A rebuild of a large site spends most of its time before the first page is written: Pelican
makes every content object again, and the site model (URLs, series, links) is worked out
again. When an edit changed only a post's text, the last build's objects already hold
everything its page shows but the text: so the post is read again, its new text put into the
last build's object, and its page rendered with the last build's generator, as Pelican renders
it. The rebuild runs right after and writes the same bytes (the server compares them, and
reloads the page again if they differ).

Only when it is safe: every changed file is a post of the last build, read without error, with
the same metadata as before (title, date, summary, tags, series, reading time: what other
pages show), and no link that the site's link resolution would rewrite (site/links.py).
"""

import copy
import logging
import os
import shutil
from functools import partial

from pelican.contents import Content
from pelican.generators import ArticlesGenerator
from pelican.writers import Writer

from ..build_state import STATE_KEY, BuildState
from ..site.links import LINK_ATTRIBUTE, START_TAG, relative_path
from .build_cache import CachedRead, memory_for
from .writer import EDITED_FIRST_AT_MOST

logger = logging.getLogger(__name__)
POST_KINDS = ("translations", "articles", "hidden_translations", "hidden_articles")


def needs_site_links(html: str) -> bool:
    """Whether the text holds a link or image path that the site's link resolution rewrites."""
    return any(
        relative_path(attribute["value"]) is not None
        for tag in START_TAG.finditer(html)
        for attribute in LINK_ATTRIBUTE.finditer(tag[0])
    )


def read_again(generator, post, memory, read_keys: dict):
    """The post's new text, or None when the edit changed more than its text. `read_keys`:
    the read each post of the last build was made from."""
    path = post.source_path
    known = read_keys.get(path)
    before = memory.entries.get(known[1]) if known else None
    reader = generator.readers.readers.get(os.path.splitext(path)[1][1:])
    if before is None or not isinstance(reader, CachedRead):
        return None
    # A reader of its own, with a build state of its own: a rebuild may be running, and what
    # this read reports is reported again by the rebuild's own read.
    reader = copy.copy(reader)
    reader.settings = {**generator.settings, STATE_KEY: BuildState()}
    try:
        html, metadata = super(CachedRead, reader).read(path)  # not through the cache: the rebuild stores it
    except Exception:  # noqa: BLE001 - the rebuild reads it again and reports the error
        return None
    if metadata != before[1] or needs_site_links(html):
        return None
    return html


def forget_rendered(posts) -> None:
    """Pelican memoizes content and summary per object: drop the old text's (a rebuild may be
    filling the same memo meanwhile, hence the copy of its keys)."""
    ids = {id(post) for post in posts}
    for method in (Content.get_content, Content.get_summary):
        for key in list(method.cache):
            if key and id(key[0]) in ids:
                method.cache.pop(key, None)


def write_ahead(generators, read_keys: dict, paths: list[str], folder: str) -> dict[str, bytes]:
    """Render the pages of the edited posts among `paths` with the last build's objects;
    their output names and bytes (nothing when any path is not a text edit of a post)."""
    generator = next((g for g in generators or [] if isinstance(g, ArticlesGenerator)), None)
    memory = memory_for(generator.settings) if generator is not None else None
    if memory is None or not 0 < len(paths) <= EDITED_FIRST_AT_MOST:
        return {}
    posts = {os.path.realpath(post.source_path): post for kind in POST_KINDS for post in getattr(generator, kind)}
    paths = [os.path.realpath(path) for path in paths]
    if any(path not in posts for path in paths):
        return {}
    texts = {}
    for path in paths:
        text = read_again(generator, posts[path], memory, read_keys)
        if text is None:
            return {}
        texts[path] = text
    for path, text in texts.items():
        posts[path]._content = text
    forget_rendered([posts[path] for path in texts])
    view = copy.copy(generator)  # Pelican's own generate_articles, on the edited posts only
    view.journal_ahead = True  # not a build's generator: write_edited_first leaves it alone
    for kind in POST_KINDS:
        setattr(view, kind, [post for post in getattr(generator, kind) if os.path.realpath(post.source_path) in texts])
    shutil.rmtree(folder, ignore_errors=True)
    writer = Writer(folder, settings=generator.settings)
    view.generate_articles(partial(writer.write_file, relative_urls=generator.settings["RELATIVE_URLS"]))
    pages = {}
    for post in (posts[path] for path in sorted(texts)):
        try:
            with open(os.path.join(folder, post.save_as), "rb") as handle:
                pages[os.path.normpath(post.save_as)] = handle.read()
        except OSError:
            return {}
    shutil.rmtree(folder, ignore_errors=True)
    return pages
