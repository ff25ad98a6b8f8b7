"""``camp preview`` for easymail: the email as recipients get it, from, subject and preheader
above the stored body rendered to HTML. Offline: the body comes from the checks (inline
``content`` or ``content_file``)."""

from __future__ import annotations

from reconciler.config.loader import CampaignDoc
from reconciler.plan.preview import CampaignPreview, Message, PreviewOptions, Recipient
from reconciler.providers.easymail.checks import EasymailPrepared
from reconciler.providers.easymail.model import EasymailCampaign
from reconciler.providers.easymail.rendering import body_html, stored_body

_UNSET = "(not set)"


def preview_easymail(doc: CampaignDoc, options: PreviewOptions) -> CampaignPreview:
    """The campaign's email (easymail has no per-recipient personalization)."""
    del options  # nothing in an easymail body varies by recipient, time or seed
    campaign = doc.campaign_as(EasymailCampaign)
    content = doc.prepared_as(EasymailPrepared).content
    notes = [] if content is not None else ["the YAML sets no body (content or content_file)"]
    message = Message(
        title="Email",
        subject=campaign.subject if campaign.subject is not None else _UNSET,
        headers=_headers(campaign),
        body=stored_body(content) if content is not None else "",
        html=body_html(content) if content is not None else None,
    )
    return CampaignPreview(
        account=doc.account,
        kind=doc.kind,
        name=campaign.name,
        source=str(doc.location),
        facts=_facts(campaign),
        recipients=(Recipient("every recipient", (), (message,)),),
        notes=tuple(notes),
    )


def _headers(campaign: EasymailCampaign) -> tuple[tuple[str, str], ...]:
    sender = campaign.from_identity or _UNSET
    from_line = f"{campaign.from_name} <{sender}>" if campaign.from_name else sender
    headers = [("From", from_line)]
    if campaign.reply_to:
        headers.append(("Reply-To", campaign.reply_to))
    headers.append(("Preheader", campaign.preheader or _UNSET))
    return tuple(headers)


def _facts(campaign: EasymailCampaign) -> tuple[tuple[str, str], ...]:
    audience = campaign.audience
    parts = []
    if audience is not None and audience.list:
        parts.append(f"list {audience.list}")
    if audience is not None and audience.segment:
        parts.append(f"segment {audience.segment}")
    facts = [("audience", " + ".join(parts) or _UNSET)]
    state = campaign.state or "(not managed)"
    when = f" at {campaign.scheduled_at}" if campaign.state == "scheduled" else ""
    facts.append(("state", f"{state}{when}"))
    return tuple(facts)
