"""What apply prints for ``--verify``: one line per campaign still different, naming its
fields (the engine's ``Leftover``s), on stderr before exit 1."""

from __future__ import annotations

from reconciler.cli.apply_report import verify_failures
from reconciler.engine.verify import Leftover
from reconciler.plan.values import CampaignRef


def test_each_leftover_is_one_line_naming_campaign_account_and_fields() -> None:
    leftovers = [
        Leftover(CampaignRef("cold", "coldsend/campaign", "[camp] Q1"), ("timezone", "inboxes")),
        Leftover(CampaignRef("news", "easymail/campaign", "Launch"), ("schedule",)),
    ]
    assert verify_failures(leftovers) == [
        'verify: coldsend/campaign "[camp] Q1" (cold) still differs after apply: '
        "timezone, inboxes (perpetual-diff suspect)",
        'verify: easymail/campaign "Launch" (news) still differs after apply: '
        "schedule (perpetual-diff suspect)",
    ]
    assert verify_failures([]) == []
