"""The register index's repeated markup: the list of results and the filter panel's checkboxes.

A page lists 25 entries of about twenty values each, and offers some fifty
checkboxes: some 700 values, which through the template engine (or ``format_html``)
cost more CPU than the rest of the page together, most of it in the machinery that
checks each value for laziness and safety before escaping it. Every value here is a
plain string, so each is escaped with ``html.escape`` (what Django's ``escape`` calls)
and put into the markup with ``str.format``, several times faster. The markup is the
GOV.UK heading, tag, summary list and checkbox the template would write; ``FACTS``
declares which public fields each entry shows, in order.
"""

from html import escape

from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from ..templatetags.register_tags import money

NOT_RECORDED = "Not recorded"
PURPOSE_WORDS = 40


def _or_not_recorded(value):
    return value or NOT_RECORDED


def _partner_names(partners):
    return ", ".join(partner["name"] for partner in partners) or "None recorded"


# (public field, how its value is shown, shown when it has none): the facts under each entry.
FACTS = (
    ("council_role", _or_not_recorded, True),
    ("geography", _or_not_recorded, True),
    ("areas", ", ".join, False),
    ("service_area", _or_not_recorded, True),
    ("annual_contribution", money, True),
    ("partners", _partner_names, True),
)

ENTRY = (
    '<li class="portal-result-list__item">'
    '<h3 class="govuk-heading-m govuk-!-margin-bottom-1"><a class="govuk-link" href="{url}">{name}</a></h3>'
    '<p class="govuk-body-s govuk-!-margin-bottom-2">{reference} '
    '<strong class="govuk-tag {status_class}">{status}</strong></p>'
    "{purpose}"
    '<dl class="govuk-summary-list govuk-summary-list--no-border govuk-!-font-size-16">{facts}</dl>'
    "</li>"
)
PURPOSE = '<p class="govuk-body">{}</p>'
FACT = (
    '<div class="govuk-summary-list__row">'
    '<dt class="govuk-summary-list__key">{}</dt><dd class="govuk-summary-list__value">{}</dd>'
    "</div>"
)
CHECKBOX = (
    '<div class="govuk-checkboxes__item">'
    '<input class="govuk-checkboxes__input" id="{id}" name="{param}" type="checkbox" value="{value}"{checked}>'
    '<label class="govuk-label govuk-checkboxes__label" for="{id}">{label}</label>'
    "</div>"
)


def _text(value):
    return escape("" if value is None else str(value))


def _entry(row, labels):
    record = row["record"]
    purpose = record["purpose"]
    facts = "".join(
        FACT.format(_text(labels[name]), _text(shown(record[name])))
        for name, shown, always in FACTS
        if always or record[name] not in (None, "", [])
    )
    return ENTRY.format(
        url=_text(row["url"]),
        name=_text(record["name"]),
        reference=_text(record["reference"]),
        status_class=_text(row["status_class"]),
        status=_text(record["status"]),
        purpose=PURPOSE.format(_text(Truncator(purpose).words(PURPOSE_WORDS, truncate=" …"))) if purpose else "",
        facts=facts,
    )


def result_list(rows, labels):
    """The ``<li>`` of each listed entry (rows of ``listing.listing_row``), as one safe string."""
    return mark_safe("".join(_entry(row, labels) for row in rows))  # noqa: S308 - every value escaped by _text


def checkboxes(param, options):
    """The checkbox of each option of one filter (``{value, label, checked, id}``), as one safe string."""
    return mark_safe(  # noqa: S308 - every value escaped by _text
        "".join(
            CHECKBOX.format(
                id=_text(option["id"]),
                param=_text(param),
                value=_text(option["value"]),
                checked=" checked" if option["checked"] else "",
                label=_text(option["label"]),
            )
            for option in options
        )
    )
