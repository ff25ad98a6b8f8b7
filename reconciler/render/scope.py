"""What a scoped plan (``--changed-since``) says of its scope, first, in every format.

A plan of what a pull request changed reads like any plan; without this line a reviewer could
take its "no changes" for "no drift". Text and Markdown share one sentence; JSON carries the
scope itself (``PlanScope.to_json``).
"""

from __future__ import annotations

from reconciler.plan.values import PlanScope
from reconciler.render.diffs import clean, plural

SHORT_SHA = 12


def scope_sentence(scope: PlanScope) -> str:
    """``Scoped plan: only the 2 campaign documents changed since main (1a2b…), …``"""
    since = f"{clean(scope.changed_since)} ({scope.commit[:SHORT_SHA]})"
    if scope.everything:
        return (
            f"camp.yaml changed since {since}: every campaign document is in scope, as in a "
            "full plan (--changed-since)."
        )
    documents = plural(len(scope.documents), "campaign document")
    head = f"Scoped plan: only the {documents} changed since {since}"
    gone = len(scope.deleted)
    if gone and scope.pruned:
        head += f", and the campaigns of {plural(gone, 'document')} deleted since then (--prune)"
    elif gone:
        theirs = "its campaign" if gone == 1 else "their campaigns"
        head += (
            f"; {plural(gone, 'document')} deleted since then left alone "
            f"(--prune would delete {theirs})"
        )
    return (
        f"{head}. Campaigns outside this scope were not read: this is no drift check "
        "(a plan without --changed-since is)."
    )
