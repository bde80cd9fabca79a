"""Older and newer post for every published post, for the post page's previous/next links."""

from .order import oldest_first


def link_neighbours(article_generator) -> None:
    """article_generator_finalized: set `older_post` / `newer_post` (None at either end)."""
    in_order = oldest_first(article_generator.articles)
    for position, article in enumerate(in_order):
        article.older_post = in_order[position - 1] if position > 0 else None
        article.newer_post = in_order[position + 1] if position + 1 < len(in_order) else None
