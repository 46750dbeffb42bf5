"""The import history: each job's state kept on its ``RegisterImport``, with the counts the listing shows."""

import uuid

from django.utils import timezone

from partnerships.models import RegisterImport

Outcome = RegisterImport.Outcome
OUTCOMES = {
    "done": Outcome.IMPORTED,
    "invalid": Outcome.INVALID,
    "failed": Outcome.FAILED,
    "cancelled": Outcome.CANCELLED,
}


def saved_state(token):
    record = RegisterImport.objects.filter(token=uuid.UUID(str(token))).only("state").first()
    return record.state if record and record.state else None


def save_state(token, state):
    """Write the job's state and what the history lists; an import that has finished is never reopened."""
    summary = state.get("summary") or {}
    result = state.get("result") or {}
    outcome = OUTCOMES.get(state.get("status"), Outcome.IN_PROGRESS)
    fields = {
        "state": state,
        "outcome": outcome,
        "rows": summary.get("row_count") or 0,
        "created": result.get("created_count", 0),
        "updated": result.get("updated_count", 0),
        "refused": summary.get("refused_rows") or 0,
        "duplicates": summary.get("duplicate_count") or 0,
        "backfilled": result.get("backfilled_count", 0),
    }
    if outcome != Outcome.IN_PROGRESS:
        fields["finished_at"] = timezone.now()
    RegisterImport.objects.filter(token=uuid.UUID(str(token)), finished_at__isnull=True).update(**fields)
