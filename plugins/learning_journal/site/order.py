"""The one order of posts and pages: by date, then by source path.

Many posts share a date (a date-only `date: 2024-06-01` is common), and Pelican sorts by date
alone, in the order it read the files: the order of a set of paths (the hash seed) and of
helper processes. Every list that reaches output is put in this total order instead. Within
one content folder, absolute source paths sort as the paths relative to it do.
"""

from datetime import UTC, datetime

from pelican.utils import order_content

OLDEST = datetime.min.replace(tzinfo=UTC)


def comparable(moment) -> datetime:
    """Naive and aware dates in one order: a naive date is read as UTC; no date is oldest."""
    if moment is None:
        return OLDEST
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def order_key(content) -> tuple:
    return (comparable(getattr(content, "date", None)), getattr(content, "source_path", None) or "")


def oldest_first(contents) -> list:
    return sorted(contents, key=order_key)


def newest_first(contents) -> list:
    return sorted(contents, key=order_key, reverse=True)


def put_in_order(contents: list, order_by) -> None:
    """Sort `contents` in place: by the *_ORDER_BY setting as Pelican reads it, ties by date and
    source path (the same direction as the setting)."""
    contents.sort(key=order_key, reverse=isinstance(order_by, str) and order_by.startswith("reversed-"))
    order_content(contents, order_by)  # a stable sort: the ties keep the order above


def order_articles(generator) -> None:
    """article_generator_pretaxonomy: before tags, categories, authors and archives are built
    from generator.articles, so that they inherit its order."""
    order_by = generator.settings.get("ARTICLE_ORDER_BY", "reversed-date")
    for name in ("articles", "drafts", "hidden_articles"):
        put_in_order(getattr(generator, name), order_by)
    for name in ("translations", "drafts_translations", "hidden_translations"):
        getattr(generator, name).sort(key=order_key)


def order_lists(generator) -> None:
    """article_generator_finalized: Pelican sorts the archives by date alone, from the articles'
    order (oldest-first archives need their ties turned round), and lists tags in the order
    they were first met: tags go by slug."""
    generator.context["tags"] = sorted(generator.context.get("tags") or [], key=lambda pair: pair[0].slug)
    newest = generator.settings.get("NEWEST_FIRST_ARCHIVES", True)
    generator.dates.sort(key=order_key, reverse=newest)
    for archives in (getattr(generator, "period_archives", None) or {}).values():
        for archive in archives:
            archive["dates"].sort(key=order_key, reverse=newest)


def order_pages(generator) -> None:
    """page_generator_finalized: pages by PAGE_ORDER_BY, ties by date and source path."""
    order_by = generator.settings.get("PAGE_ORDER_BY", "basename")
    for name in ("pages", "hidden_pages", "draft_pages"):
        put_in_order(getattr(generator, name), order_by)
    for name in ("translations", "hidden_translations", "draft_translations"):
        getattr(generator, name, []).sort(key=order_key)


def read_in_path_order(generator) -> None:
    """article/page_generator_init: Pelican lists source files as a set; read them sorted, so that messages
    (and anything else that follows reading) come out the same on every build."""
    find = generator.get_files
    generator.get_files = lambda *args, **kwargs: sorted(find(*args, **kwargs))
