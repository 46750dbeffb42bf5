"""What a register entry's inspect page shows: values as people say them, and the entry's records.

Wagtail's inspect view prints the stored value, so a reader saw "False", "None" and
"7680.00". Here every value reads as it would in a council paper: "Yes" or "No",
"Not recorded", "£7,680.00", "18 June 2027", a choice's label; and under the fields,
the entry's meeting notes, annual activity summaries, annual reviews and progress
reports, newest first.
"""

import datetime
from decimal import Decimal

from django.utils.dateformat import format as date_format
from django.utils.formats import number_format

NOT_RECORDED = "Not recorded"
# The entry's money fields (the model keeps them as decimals of pounds).
MONEY_FIELDS = {"annual_contribution", "in_kind_value", "external_funding", "spend_to_date"}


def pounds(value):
    return f"£{Decimal(value):,.2f}"


def human_value(value, field_name=""):
    """``value`` as a person would read it on the page."""
    if value is None or value in ("", "-"):  # "-" is Wagtail's word for an empty list
        return NOT_RECORDED
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if field_name in MONEY_FIELDS and isinstance(value, (Decimal, int, float)):
        return pounds(value)
    if isinstance(value, datetime.datetime):
        return date_format(value, "j F Y, H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    if isinstance(value, Decimal):
        return number_format(value.normalize() if value == value.to_integral() else value, use_l10n=False)
    return value


def entry_records(entry):
    """The entry's meeting notes, summaries, reviews and progress reports, newest first."""
    return {
        "meeting_notes": entry.meeting_notes.select_related("attachment").order_by("-date", "-pk"),
        "activity_summaries": entry.activity_summaries.order_by("-year", "-pk"),
        "annual_reviews": entry.annual_reviews.select_related("submitted_by").order_by("-review_date", "-pk"),
        "progress_reports": entry.progress_reports.select_related("submitted_by").order_by(
            "-period_end", "-submitted_at", "-pk"
        ),
    }


class HumanValuesMixin:
    """For an inspect view of a register entry: human values, and the entry's records below its fields."""

    def get_field_display_value(self, field_name, field):
        custom = getattr(self, f"get_{field_name}_display_value", None)
        # An empty link to a document or record: Wagtail would draw it as "None".
        if not callable(custom) and getattr(field, "attname", None) and getattr(self.object, field.attname) is None:
            return NOT_RECORDED
        return human_value(super().get_field_display_value(field_name, field), field_name)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["records"] = entry_records(self.object)
        return context

    def get_terms_of_reference_status_display_value(self):
        # The choice's label is "None", which on the page reads like a missing value.
        if self.object.terms_of_reference_status == "none":
            return "No terms of reference"
        return self.object.get_terms_of_reference_status_display()
