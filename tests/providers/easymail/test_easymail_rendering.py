"""An easymail body as the recipient reads it: the stored (flattened) Markdown as CommonMark."""

from __future__ import annotations

import pytest

from reconciler.providers.easymail.rendering import body_html, stored_body


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        ("# Title\n\nHi **there**.\n", "<h1>Title</h1>\n<p>Hi <strong>there</strong>.</p>\n"),
        ("- a\n- *b*\n", "<ul>\n<li>a</li>\n<li><em>b</em></li>\n</ul>\n"),
        ("Use `code` and ~~old~~ new\n", "<p>Use code and old new</p>\n"),  # flattened first
        ("a <b>bold</b> c\n", "<p>a bold c</p>\n"),  # HTML tags go, their text stays
        ("> quote\n\n---\n", "<blockquote>\n<p>quote</p>\n</blockquote>\n<hr />\n"),
        ("[x](https://example.com)\n", '<p><a href="https://example.com">x</a></p>\n'),
    ],
)
def test_the_stored_body_rendered(markdown: str, html: str) -> None:
    assert body_html(markdown) == html


def test_nothing_executable_gets_through() -> None:
    html = body_html(
        "[click](javascript:alert(1)) <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n"
    )
    assert "<script" not in html and "<img" not in html
    assert 'href="javascript' not in html


def test_the_stored_body_is_the_flattened_markdown() -> None:
    assert stored_body("| a | b |\n| - | - |\n| 1 | 2 |\n") == "a b\n1 2\n"
