"""Hypothesis strategies for campaign documents of the three kinds, and live starting states.

``*_doc(name)`` draw a campaign document as plain data (dumped to YAML by the test), chosen so
that it is valid and reachable from nothing or from a draft: a lifecycle the vendor cannot reach
from a draft (``paused``, ``canceled``) is not drawn, and a state that launches, schedules or sends
always comes with what the vendor needs for it (leads, inbox and variant; a complete newsletter;
a sequence). Every key is drawn as "omitted" too, since an omitted key is unmanaged.

``create_live_*`` put a draft of a document on the sandbox through the vendor API directly, as
a dashboard user would: that is the "different version" camp must converge from.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import strategies as st

from reconciler.providers.coldsend.views import CREATE_FIELDS
from reconciler.providers.inbox.syntax import compile_steps, normalize_schedule
from tests.reliability.harness import Workspace

OMIT = object()  # a key left out of the document

TIMEZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Adelaide"]
INBOXES = {
    "alex@outbound.example": "11111111-1111-4111-8111-000000000001",
    "sam@outbound.example": "11111111-1111-4111-8111-000000000002",
    "riley@outbound.example": "11111111-1111-4111-8111-000000000003",
}
IDENTITIES = {
    "news@brand.example": "22222222-2222-4222-8222-000000000001",
    "ceo@brand.example": "22222222-2222-4222-8222-000000000002",
}
EM_LISTS = {
    "Customers": "22222222-2222-4222-8222-000000000011",
    "Trial users": "22222222-2222-4222-8222-000000000012",
    "Everyone": "22222222-2222-4222-8222-000000000013",
}
EM_SEGMENTS = {"Active last 30 days": "22222222-2222-4222-8222-000000000021"}
LINKS = {"founder_x": "acct0000000000000000000001", "growth_x": "acct0000000000000000000002"}
IN_LISTS = {
    "SaaS founders": "list0000000000000000000001",
    "Existing customers": "list0000000000000000000002",
    "Do not contact": "list0000000000000000000003",
}

_WORD = st.sampled_from(
    ["hello", "quick", "question", "Acme", "update", "über", "café", "naïve", "日本", "Ωmega"]
) | st.text(st.characters(categories=["Lu", "Ll", "Nd"]), min_size=1, max_size=8)
WORDS = st.lists(_WORD, min_size=1, max_size=8).map(" ".join)


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.just(OMIT) | strategy


def put(doc: dict[str, Any], key: str, value: Any) -> None:
    if value is not OMIT:
        doc[key] = value


# -- ColdSend ----------------------------------------------------------------------------------


@st.composite
def _distribution(draw: st.DrawFn, count: int) -> list[int]:
    cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=count - 1, max_size=count - 1)))
    edges = [0, *cuts, 100]
    return [b - a for a, b in itertools.pairwise(edges)]


_CONTENT = st.sampled_from(
    [
        "Hi {{first_name | default: 'there'}}, ",
        "Hello {{first_name}}, ",
        "{{I noticed|I saw}} that ",
        "",
    ]
)


@st.composite
def variants(draw: st.DrawFn, min_size: int = 0) -> list[dict[str, Any]]:
    count = draw(st.integers(min_size, 4))
    if count == 0:
        return []
    names = draw(st.permutations(["A", "b", "C", "d", "Ef"]))[:count]
    shares = draw(_distribution(count))
    return [
        {
            "variant_name": name,
            "subject_template": draw(WORDS),
            "email_content": draw(_CONTENT) + draw(WORDS) + " - thanks for reading.",
            "distribution_percent": share,
        }
        for name, share in zip(names, shares, strict=True)
    ]


@st.composite
def follow_ups(draw: st.DrawFn) -> list[dict[str, Any]]:
    count = draw(st.integers(0, 3))
    return [
        {
            "step_number": step,
            "trigger_type": draw(
                st.sampled_from(["NOT_OPENED", "NOT_REPLIED", "OPENED_BUT_NOT_REPLIED"])
            ),
            "wait_days": draw(st.integers(1, 15)),
            "variants": draw(variants(min_size=1)),
        }
        for step in range(2, 2 + count)
    ]


def window_ok(w: dict[str, Any]) -> bool:
    """The vendor's rule with its defaults (09:00 to 17:00) for what is omitted."""
    start = (w.get("sending_window_start", 9), w.get("sending_window_start_minute", 0))
    end = (w.get("sending_window_end", 17), w.get("sending_window_end_minute", 0))
    return end > start and not (end[0] == 24 and end[1])


WINDOW = st.fixed_dictionaries(
    {},
    optional={
        "sending_window_start": st.integers(0, 23),
        "sending_window_start_minute": st.integers(0, 59),
        "sending_window_end": st.integers(1, 24),
        "sending_window_end_minute": st.integers(0, 59),
    },
).filter(window_ok)


@st.composite
def lead_emails(draw: st.DrawFn, min_size: int = 0) -> list[str]:
    locals_ = draw(
        st.lists(
            st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=6),
            min_size=min_size,
            max_size=12,
            unique=True,
        )
    )
    upper = draw(st.lists(st.booleans(), min_size=len(locals_), max_size=len(locals_)))
    return [
        (f"{local}@Example.com" if up else f"{local}@example.com")
        for local, up in zip(locals_, upper, strict=True)
    ]


def leads_csv(emails: list[str]) -> str:
    rows = [f"{email},{email.split('@')[0].title()}" for email in emails]
    return "email,first_name\n" + "".join(row + "\n" for row in rows)


@st.composite
def coldsend_doc(draw: st.DrawFn, name: str, *, managed_state: bool = True) -> dict[str, Any]:
    """A ColdSend document; ``doc["_leads"]`` (not YAML) holds its leads' emails, if any."""
    states = [OMIT, "draft", "active", "absent"] if managed_state else [OMIT]
    state = draw(st.sampled_from(states))
    launch = state == "active"
    doc: dict[str, Any] = {"kind": "coldsend/campaign", "account": "cold", "name": name}
    put(doc, "state", state)
    put(doc, "timezone", draw(optional(st.sampled_from(TIMEZONES))))
    put(
        doc,
        "sending_days",
        draw(optional(st.lists(st.integers(1, 7), min_size=1, max_size=7, unique=True))),
    )
    doc.update(draw(WINDOW))
    put(doc, "daily_limit_per_inbox", draw(optional(st.none() | st.integers(1, 100))))
    dates = st.sampled_from(
        [None, "2026-03-01", "2026-03-01T09:30:00Z", "2026-07-15T08:00:00+02:00"]
    )
    put(doc, "start_date", draw(optional(dates)))
    put(doc, "enable_tracking", draw(optional(st.booleans())))
    put(doc, "enable_unsubscribe", draw(optional(st.booleans())))
    inboxes = st.lists(st.sampled_from(sorted(INBOXES)), min_size=1, max_size=3, unique=True)
    put(doc, "inboxes", draw(inboxes if launch else optional(inboxes)))
    put(doc, "variants", draw(variants(min_size=1) if launch else optional(variants())))
    put(doc, "sequences", draw(optional(follow_ups())))
    emails = draw(lead_emails(min_size=1) if launch else optional(lead_emails(min_size=1)))
    if emails is not OMIT:
        doc["leads"] = "leads.csv"
        doc["_leads"] = emails
    return doc


def create_live_coldsend(ws: Workspace, doc: dict[str, Any]) -> str:
    created = ws.ok(
        "coldsend", "POST", "/campaigns", json={k: doc[k] for k in CREATE_FIELDS if k in doc}
    )
    campaign_id = str(created["campaign_id"])
    body: dict[str, Any] = {k: doc[k] for k in ("variants", "sequences") if k in doc}
    if "inboxes" in doc:
        body["inbox_ids"] = [INBOXES[e] for e in doc["inboxes"]]
    if body:
        ws.ok("coldsend", "PUT", f"/campaigns/{campaign_id}", json=body)
    if doc.get("_leads"):
        csv = leads_csv(doc["_leads"]).encode()
        files = {"file": ("leads.csv", csv, "text/csv")}
        ws.ok("coldsend", "POST", f"/campaigns/{campaign_id}/leads", files=files)
        ws.admin("POST", "/clock", {"advance_seconds": 5})  # the upload job completes
    return campaign_id


# -- easymail ----------------------------------------------------------------------------------


@st.composite
def markdown(draw: st.DrawFn) -> str:
    block = st.one_of(
        WORDS.map(lambda t: f"# {t}"),
        WORDS.map(lambda t: f"## {t}"),
        WORDS,
        WORDS.map(lambda t: f"**{t}** and *{t}*"),
        WORDS.map(lambda t: f"[{t}](https://example.com/{len(t)})"),
        st.lists(WORDS, min_size=1, max_size=3).map(lambda xs: "\n".join(f"- {x}" for x in xs)),
        st.lists(WORDS, min_size=1, max_size=3).map(
            lambda xs: "\n".join(f"{i}. {x}" for i, x in enumerate(xs, 1))
        ),
        WORDS.map(lambda t: f"> {t}"),
        WORDS.map(lambda t: f"```\n{t}\n```"),
        st.just("---"),
    )
    blocks = draw(st.lists(block, min_size=1, max_size=5))
    return "\n\n".join(blocks) + "\n"


def _future_instant(hours: int, offset: bool) -> str:
    when = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=hours)
    if offset:
        return when.astimezone(timezone(timedelta(hours=2))).isoformat()
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


@st.composite
def easymail_doc(draw: st.DrawFn, name: str, *, managed_state: bool = True) -> dict[str, Any]:
    """An easymail document; ``doc["_content_file"]`` (not YAML) holds a body file's text."""
    states = [OMIT, "draft", "scheduled", "sent", "absent"] if managed_state else [OMIT]
    state = draw(st.sampled_from(states))
    ready = state in ("scheduled", "sent")
    doc: dict[str, Any] = {"kind": "easymail/campaign", "account": "news", "name": name}
    put(doc, "state", state)
    if state == "scheduled":
        doc["scheduled_at"] = _future_instant(draw(st.integers(2, 24 * 30)), draw(st.booleans()))
    text = WORDS.filter(lambda t: len(t) <= 255)
    for key in ("subject", "from_name"):
        put(doc, key, draw(text if ready else optional(st.none() | text)))
    put(doc, "preheader", draw(optional(st.none() | text)))
    put(doc, "reply_to", draw(optional(st.none() | st.sampled_from(["a@b.example", "x@y.io"]))))
    identity = st.sampled_from(sorted(IDENTITIES))
    put(doc, "from_identity", draw(identity if ready else optional(st.none() | identity)))
    lists, segments = st.sampled_from(sorted(EM_LISTS)), st.sampled_from(sorted(EM_SEGMENTS))
    audience = st.one_of(
        st.builds(lambda name: {"list": name}, lists),
        st.builds(lambda name: {"segment": name}, segments),
        st.builds(lambda a, b: {"list": a, "segment": b}, lists, segments),
    )
    put(doc, "audience", draw(audience if ready else optional(st.none() | audience)))
    body = draw(st.sampled_from(["inline", "file"] if ready else ["inline", "file", "null", OMIT]))
    if body == "inline":
        doc["content"] = draw(markdown())
    elif body == "file":
        doc["content_file"] = "body.md"
        doc["_content_file"] = draw(markdown())
    elif body == "null":
        doc["content"] = None
    put(doc, "overwrite", draw(optional(st.booleans())))
    return doc


def create_live_easymail(ws: Workspace, doc: dict[str, Any]) -> str:
    keys = ("name", "subject", "preheader", "from_name", "reply_to")
    body: dict[str, Any] = {k: doc[k] for k in keys if k in doc}
    if doc.get("from_identity"):
        body["from_identity"] = IDENTITIES[doc["from_identity"]]
    content = doc.get("content", doc.get("_content_file"))
    if content:
        body["content"] = content
    audience = doc.get("audience") or {}
    if "list" in audience:
        body["list_uuid"] = EM_LISTS[audience["list"]]
    if "segment" in audience:
        body["segment_uuid"] = EM_SEGMENTS[audience["segment"]]
    created = ws.ok("easymail", "POST", "/campaigns", json=body)
    return str(created["data"]["uuid"])


# -- Inbox -------------------------------------------------------------------------------------


_VARIABLE = st.sampled_from(["first-name", "last-name", "username"])
_PART = st.one_of(
    WORDS,
    _VARIABLE.map(lambda v: "{{" + v + "}}"),
    st.tuples(_VARIABLE, WORDS).map(lambda p: "{{" + p[0] + "|" + p[1] + "}}"),
    st.lists(WORDS, min_size=2, max_size=3).map(lambda xs: "{" + "|".join(xs) + "}"),
)
MESSAGE = st.lists(_PART, min_size=1, max_size=5).map(" ".join)


@st.composite
def _delay(draw: st.DrawFn) -> str:
    return f"{draw(st.integers(1, 90))}{draw(st.sampled_from('mhd'))}"


_STEP = st.one_of(
    MESSAGE.map(lambda m: {"message": m}),
    _delay().map(lambda d: {"delay": d}),
    st.just({"like_tweet": True}),
)


@st.composite
def schedule(draw: st.DrawFn) -> dict[str, Any]:
    days = draw(st.lists(st.integers(0, 6), max_size=7, unique=True))
    names = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
    out: dict[str, Any] = {}
    for day in days:
        key = draw(st.sampled_from([names[day], str(day)]))
        start = draw(st.integers(0, 47)) * 30
        end = draw(st.integers(start // 30 + 1, 48)) * 30
        if draw(st.booleans()) and end < 1440:
            out[key] = f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"
        else:
            out[key] = {"start": start, "end": end}
    return out


@st.composite
def rules(draw: st.DrawFn) -> dict[str, Any]:
    names = st.lists(st.sampled_from(sorted(IN_LISTS)), max_size=3, unique=True)
    return draw(
        st.fixed_dictionaries(
            {},
            optional={
                "include_lists": names,
                "exclude_lists": names,
                "exclude_contacted": st.booleans(),
                "exclude_mutuals": st.booleans(),
            },
        )
    )


_AUTOMATION = st.fixed_dictionaries(
    {
        "trigger": st.sampled_from(["replied", "completed"]),
        "action": st.just("set-status"),
        "action_data": st.fixed_dictionaries({"status_id": st.sampled_from(["st1", "won"])}),
    },
    optional={"enabled": st.booleans()},
)


@st.composite
def inbox_doc(draw: st.DrawFn, name: str, *, managed_state: bool = True) -> dict[str, Any]:
    states = [OMIT, "draft", "active", "absent"] if managed_state else [OMIT]
    state = draw(st.sampled_from(states))
    doc: dict[str, Any] = {"kind": "inbox/campaign", "account": "dm", "name": name}
    put(doc, "state", state)
    put(doc, "description", draw(optional(st.none() | WORDS)))
    put(doc, "timezone", draw(optional(st.sampled_from(TIMEZONES))))
    doc["account_links"] = draw(
        st.lists(st.sampled_from(sorted(LINKS)), min_size=1, max_size=2, unique=True)
    )
    put(doc, "messages_per_hour", draw(optional(st.integers(1, 25))))
    put(doc, "schedule", draw(optional(schedule())))
    put(doc, "rules", draw(optional(rules())))
    sequence = st.tuples(MESSAGE, st.lists(_STEP, max_size=4)).map(
        lambda p: [{"message": p[0]}, *p[1]]
    )
    put(doc, "sequence", draw(sequence if state == "active" else optional(sequence)))
    put(doc, "automations", draw(optional(st.lists(_AUTOMATION, max_size=2))))
    return doc


def create_live_inbox(ws: Workspace, doc: dict[str, Any]) -> str:
    body: dict[str, Any] = {
        "name": doc["name"],
        "accountLinkIds": [LINKS[u] for u in doc["account_links"]],
    }
    if "timezone" in doc:
        body["timezone"] = doc["timezone"]
    created = ws.ok("inbox", "POST", "/campaigns/v2", json=body)
    campaign_id = str(created["id"])
    patch: dict[str, Any] = {}
    for key, wire in (("description", "description"), ("messages_per_hour", "messagesPerHour")):
        if key in doc:
            patch[wire] = doc[key]
    if "schedule" in doc:
        patch["schedule"] = normalize_schedule(doc["schedule"])
    if "automations" in doc:
        patch["automations"] = [
            {
                "trigger": a["trigger"],
                "action": a["action"],
                "actionData": {"statusId": a["action_data"]["status_id"]},
                "enabled": a.get("enabled", True),
            }
            for a in doc["automations"]
        ]
    if patch:
        ws.ok("inbox", "PATCH", f"/campaigns/v2/{campaign_id}", json=patch)
    rules_ = doc.get("rules") or {}
    wire_rules: dict[str, Any] = {}
    if "include_lists" in rules_:
        wire_rules["syncedListIds"] = [IN_LISTS[n] for n in rules_["include_lists"]]
    if "exclude_lists" in rules_:
        wire_rules["excludedListIds"] = [IN_LISTS[n] for n in rules_["exclude_lists"]]
    for key, wire in (
        ("exclude_contacted", "excludeContacted"),
        ("exclude_mutuals", "excludeMutuals"),
    ):
        if key in rules_:
            wire_rules[wire] = rules_[key]
    if wire_rules:
        ws.ok("inbox", "PATCH", f"/campaigns/v2/{campaign_id}/rules", json=wire_rules)
    if doc.get("sequence"):
        steps = compile_steps(doc["sequence"])
        ws.ok("inbox", "PUT", f"/campaigns/v2/{campaign_id}/sequence", json={"steps": steps})
    return campaign_id
