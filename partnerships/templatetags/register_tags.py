"""Display helpers for register templates."""

from decimal import Decimal

from django import template

from partnerships.models import Status

register = template.Library()

# GOV.UK tag colours: green for in force, yellow while changing, grey when finished.
STATUS_TAG_CLASSES = {
    Status.PROPOSED: "govuk-tag--blue",
    Status.AWAITING_APPROVAL: "govuk-tag--light-blue",
    Status.ACTIVE: "govuk-tag--green",
    Status.UNDER_REVIEW: "govuk-tag--yellow",
    Status.EXITING: "govuk-tag--orange",
    Status.CLOSED: "govuk-tag--grey",
    Status.REJECTED: "govuk-tag--red",
}


@register.filter
def status_tag_class(status):
    return STATUS_TAG_CLASSES.get(status, "govuk-tag--grey")


@register.filter
def money(value):
    """£30,000 for whole pounds, £30,000.50 otherwise; blank for no value."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    return f"£{value:,.0f}" if value == value.to_integral_value() else f"£{value:,.2f}"
