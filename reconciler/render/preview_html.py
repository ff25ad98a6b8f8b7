"""The preview as one self-contained HTML page: every campaign's messages in email-like cards,
to open in a browser (``camp preview --format html --out preview.html``).

Everything that comes from a campaign or a lead is escaped with ``html.escape``; the one piece
inserted as markup is an easymail body, which is markdown-it-py's rendering of the stored
Markdown with raw HTML turned off (``providers/easymail/rendering.py``). The page carries a
Content-Security-Policy that allows no script, no frame and no request but images over HTTPS,
so even a body that got through could not run or phone home beyond an image.
"""

from __future__ import annotations

from html import escape

from reconciler.plan.preview import BranchShare, CampaignPreview, Message, Preview, Recipient
from reconciler.render.diffs import one_line, plural
from reconciler.render.preview_text import share_text

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:"
_STYLE = """
:root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --paper: #ffffff; --bg: #f6f8fa;
        --accent: #0969da; --warn: #9a6700; --warnbg: #fff8c5; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
       font: 15px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; }
main { max-width: 1080px; margin: 0 auto; padding: 24px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 21px; margin: 0 0 2px; }
h3 { font-size: 16px; margin: 20px 0 8px; }
.lede, .meta { color: var(--muted); margin: 0 0 12px; }
nav ul { padding-left: 20px; margin: 8px 0 24px; }
a { color: var(--accent); }
.campaign { background: var(--paper); border: 1px solid var(--line); border-radius: 10px;
            padding: 20px 24px; margin: 0 0 28px; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 8px 0; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; }
.note { color: var(--muted); font-style: italic; margin: 4px 0; }
.timeline { display: flex; flex-wrap: wrap; gap: 6px; padding: 0; list-style: none; }
.timeline li { border: 1px solid var(--line); border-radius: 14px; padding: 2px 10px;
               background: var(--bg); font-size: 13px; }
.fields { font-size: 13px; color: var(--muted); margin: 0 0 10px; }
.fields code { color: var(--ink); background: var(--bg); padding: 0 4px; border-radius: 4px; }
.messages { display: grid; grid-template-columns: repeat(auto-fill, minmax(440px, 1fr));
            gap: 14px; }
.messages > .message:only-child { grid-column: 1 / -1; max-width: 760px; }
.message { border: 1px solid var(--line); border-radius: 8px; overflow: hidden;
           background: var(--paper); box-shadow: 0 1px 2px rgba(0,0,0,.06); }
.message .title { background: var(--bg); border-bottom: 1px solid var(--line);
                  padding: 6px 12px; font-size: 13px; font-weight: 600; }
.message table { border-collapse: collapse; width: 100%; font-size: 14px; }
.message th { text-align: left; color: var(--muted); font-weight: normal; width: 90px;
              padding: 4px 12px; vertical-align: top; }
.message td { padding: 4px 12px 4px 0; }
.message .subject td { font-weight: 600; }
.body { margin: 0; padding: 12px 14px; border-top: 1px solid var(--line); }
pre.body { white-space: pre-wrap; word-break: break-word; font: inherit; }
.email-html h1, .email-html h2 { font-size: 20px; }
.email-html blockquote { border-left: 3px solid var(--line); margin: 0; padding-left: 12px;
                         color: var(--muted); }
.email-html img { max-width: 100%; }
.dm pre.body { background: #e8f1fd; border-radius: 14px; margin: 12px; border: none; }
.audience ul { padding-left: 20px; }
.warning { color: var(--warn); background: var(--warnbg); border-radius: 4px; padding: 0 4px;
           font-weight: 600; }
.where { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px;
         color: var(--muted); }
"""


def render_preview_html(preview: Preview) -> str:
    """The whole page."""
    count = plural(len(preview.campaigns), "campaign")
    links = "".join(
        f'<li><a href="#c{i}">{_text(c.name)}</a> <span class="meta">{escape(c.kind)}</span></li>'
        for i, c in enumerate(preview.campaigns, 1)
    )
    body = "".join(_campaign(i, c) for i, c in enumerate(preview.campaigns, 1))
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>camp preview</title><style>{_STYLE}</style></head><body><main>"
        "<h1>camp preview</h1>"
        f'<p class="lede">What recipients get, rendered offline as the vendors render it. '
        f"Sent at {escape(preview.at)} · {count}.</p>"
        f"<nav><ul>{links}</ul></nav>{body}</main></body></html>"
    )


def _text(value: str) -> str:
    return escape(one_line(value))


def _campaign(index: int, c: CampaignPreview) -> str:
    facts = "".join(f"<dt>{_text(k)}</dt><dd>{_text(v)}</dd>" for k, v in c.facts)
    notes = "".join(f'<p class="note">{_text(n)}</p>' for n in c.notes)
    timeline = ""
    if c.timeline:
        steps = "".join(f"<li>{_text(step)}</li>" for step in c.timeline)
        timeline = f'<h3>Sequence</h3><ol class="timeline">{steps}</ol>'
    dm = " dm" if c.kind.startswith("inbox/") else ""
    recipients = "".join(_recipient(r, dm) for r in c.recipients)
    return (
        f'<section class="campaign" id="c{index}"><h2>{_text(c.name)}</h2>'
        f'<p class="meta">{_text(c.account)} · {escape(c.kind)} · '
        f'<span class="where">{_text(c.source)}</span></p>'
        f'<dl class="facts">{facts}</dl>{notes}{timeline}{recipients}{_audience(c)}</section>'
    )


def _recipient(r: Recipient, dm: str) -> str:
    fields = " · ".join(f"<code>{_text(k)}</code> {_text(v)}" for k, v in r.fields)
    shown = f'<p class="fields">{fields}</p>' if fields else ""
    messages = "".join(_message(m, dm) for m in r.messages)
    return f'<h3>{_text(r.label)}</h3>{shown}<div class="messages">{messages}</div>'


def _message(m: Message, dm: str) -> str:
    rows = ""
    if m.subject is not None:
        rows = f'<tr class="subject"><th>Subject</th><td>{_text(m.subject)}</td></tr>'
    rows += "".join(f"<tr><th>{_text(k)}</th><td>{_text(v)}</td></tr>" for k, v in m.headers)
    table = f"<table>{rows}</table>" if rows else ""
    if m.html is not None:
        body = f'<div class="body email-html">{m.html}</div>'  # markdown-it output, HTML off
    else:
        body = f'<pre class="body">{escape(m.body)}</pre>'
    title = f'<div class="title">{_text(m.title)}</div>'
    return f'<article class="message{dm}">{title}{table}{body}</article>'


def _audience(c: CampaignPreview) -> str:
    items = [
        f'<li><span class="warning">warning</span> <span class="where">{_text(f.location)}</span>'
        f"<br>{_text(f.message)}"
        + (f'<br><span class="meta">hint: {_text(f.hint)}</span>' if f.hint else "")
        + "</li>"
        for f in c.findings
    ]
    items += [_share(s) for s in c.branches]
    if not items:
        return ""
    return (
        f'<div class="audience"><h3>Across the whole audience</h3><ul>{"".join(items)}</ul></div>'
    )


def _share(s: BranchShare) -> str:
    return (
        f'<li><span class="where">{_text(s.location)}</span> <code>{_text(s.block)}</code>: '
        f"{_text(share_text(s))}</li>"
    )
