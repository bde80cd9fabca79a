"""HTML fragments as text: what an element holds, serialised (summaries, feed entries)."""

import html

import lxml.html


def inner_html(root) -> str:
    """What an element holds, serialised: its text, then each child as HTML."""
    inner = [lxml.html.tostring(child, encoding="unicode") for child in root]
    return html.escape(root.text or "", quote=False) + "".join(inner)
