"""The email easymail sends: the stored body (the written Markdown after the vendor's
flattening, ``markdown.flatten_markdown``) rendered as CommonMark.

markdown-it-py is a CommonMark-compliant renderer; raw HTML is off (the vendor removes HTML
tags anyway, and a preview opened in a browser must not run what a body smuggles in), and its
link validation refuses ``javascript:`` and similar URLs.
"""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt

from reconciler.markdown_it_guard import guard_text_end
from reconciler.providers.easymail.markdown import flatten_markdown


@cache
def _renderer() -> MarkdownIt:
    return guard_text_end(MarkdownIt("commonmark", {"html": False}))


def stored_body(markdown: str) -> str:
    """The body as the vendor stores it."""
    return flatten_markdown(markdown)


def body_html(markdown: str) -> str:
    """The stored body as the HTML the recipient reads."""
    html: str = _renderer().render(stored_body(markdown))
    return html
