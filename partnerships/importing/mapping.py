"""Matching a council's own column headings to the register's columns.

Councils keep their registers under their own headings ("Partnership Name", "Lead
Contact", "Directorate"). A heading the import does not know is offered the closest
register column — by the words councils commonly use for it, then by spelling — for
a register manager to confirm or change; confirmed choices are kept
(``ImportColumnMapping``) and applied to every later upload.
"""

import difflib

from django.utils import timezone

from partnerships.models import ImportColumnMapping

from .columns import COLUMNS, COLUMNS_BY_FIELD, REQUIRED_COLUMNS, normalise_heading

MIN_SIMILARITY = 0.72

# What councils' own registers call each column, beyond the template's headings and aliases.
SYNONYMS = {
    "reference": ("ref", "reference number", "partnership reference", "id"),
    "name": ("partnership name", "name of partnership", "partnership", "partnership title", "title"),
    "purpose": ("purpose", "aims", "aims and objectives", "description", "partnership purpose", "remit"),
    "shared_objective": ("objective", "objectives", "shared objectives", "outcome"),
    "status": ("current status", "partnership status", "state", "stage"),
    "level": ("strategic or operational", "partnership level", "type"),
    "basis": ("statutory or voluntary", "statutory voluntary", "statutory status"),
    "membership": ("single or multi", "single or multi organisation"),
    "geography": ("area covered", "coverage", "geographical area", "geographic coverage"),
    "council_role": ("role", "our role", "role of the council", "council involvement"),
    "partners": ("partner bodies", "other partners", "organisations", "member organisations", "partner agencies"),
    "council_priorities": ("priorities", "corporate priorities", "priority", "corporate objectives"),
    "lead_officer": ("lead contact", "contact officer", "responsible officer", "council lead", "officer", "lead"),
    "head_of_service": ("hos", "service head", "head of service responsible", "responsible head of service"),
    "service_area": ("service", "department", "directorate", "team", "lead service", "service unit"),
    "annual_contribution": ("council contribution", "contribution", "annual cost", "budget", "cost to council"),
    "in_kind_hours": ("officer time", "officer hours", "in kind", "hours"),
    "external_funding": ("external income", "funding attracted", "grant funding"),
    "risk_rating": ("risk", "risk level", "overall risk"),
    "start_date": ("date started", "start", "date joined", "commenced"),
    "end_date": ("end", "date ended", "date ends"),
    "next_review_due": ("review date", "next review", "annual review due"),
    "next_progress_report_due": ("progress report due", "next report due"),
    "is_public": ("public", "publish", "show publicly"),
}


def _names(column):
    return column.headings() | {normalise_heading(name) for name in SYNONYMS.get(column.field, ())}


NAMES = {column.field: _names(column) for column in COLUMNS}


def suggest(heading, taken=()):
    """The field of the register column ``heading`` most likely holds, or "" when none is close enough."""
    key = normalise_heading(heading)
    if not key:
        return ""
    best, best_score = "", 0.0
    for field_name, names in NAMES.items():
        if field_name in taken:
            continue
        score = max(difflib.SequenceMatcher(None, key, name).ratio() for name in names)
        if key in names:
            score = 2.0
        if score > best_score:
            best, best_score = field_name, score
    return best if best_score >= MIN_SIMILARITY else ""


def remembered():
    """Every confirmed mapping: normalised heading → field ("" for a column left out)."""
    return dict(ImportColumnMapping.objects.values_list("heading_key", "field"))


def remember(headings, choices, user):
    """Keep the register manager's choice for each heading (a list of the reader's heading dicts)."""
    now = timezone.now()
    for heading in headings:
        ImportColumnMapping.objects.update_or_create(
            heading_key=heading["key"],
            defaults={
                "heading": heading["heading"][:255],
                "field": choices.get(heading["key"], ""),
                "confirmed_by": user,
                "confirmed_at": now,
            },
        )


def missing_required(chosen_fields):
    """The required columns no heading holds, in the template's order."""
    return [column for column in REQUIRED_COLUMNS if column.field not in chosen_fields]


def header(field_name):
    return COLUMNS_BY_FIELD[field_name].header
