"""Progress reports and annual reviews on the intranet: who may submit, every bad input, and what submitting does."""

import datetime
import re

import pytest
from django.utils import timezone

from partnerships.models import (
    ActivitySummary,
    AnnualReview,
    AnnualReviewAnswer,
    Partnership,
    ProgressReport,
    RegisterSettings,
    Status,
)
from partnerships.reviews.due_dates import next_progress_report_due, next_review_due
from partnerships.reviews.services import submit_progress_report
from tests.partnerships.factories import (
    PartnershipFactory,
    ServiceAreaFactory,
    dated,
    good_report,
    good_review,
    question_codes,
    report_url,
    review_url,
)

pytestmark = pytest.mark.django_db

D = datetime.date
DUE = D(2026, 3, 31)


def error_summary(html):
    """[(href, message)] of the GOV.UK error summary."""
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    assert summary, "no error summary"
    return re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', summary.group(0))


def field_errors(html):
    """The field-level messages, as a screen reader reads them ("Error: …")."""
    messages = re.findall(r'class="govuk-error-message">\s*(.*?)</p>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", m).split()) for m in messages]


def refused_with(response, errors):
    """The form came back with ``errors`` [(anchor, message)] in the summary and at each field; its HTML."""
    assert response.status_code == 200
    html = response.content.decode()
    assert error_summary(html) == errors
    assert field_errors(html) == [f"Error: {message}" for _anchor, message in errors]
    for anchor, _message in errors:
        assert f'id="{anchor}"' in html  # the summary's link lands on an input
    return html


# --- Who may submit ----------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, entry):
    response = client.get(report_url(entry))
    assert response.status_code == 302
    assert response.url.startswith("/sign-in/")


@pytest.mark.parametrize("who", ["lead_officer", "head_of_service", "register_manager"])
def test_the_lead_officer_head_of_service_and_register_managers_may_submit(client, entry, request, who):
    client.force_login(request.getfixturevalue(who))
    for url in (report_url(entry), review_url(entry)):
        assert client.get(url).status_code == 200
    response = client.post(report_url(entry), good_report())
    assert response.status_code == 302
    assert ProgressReport.objects.filter(partnership=entry).count() == 1


def test_the_head_of_the_service_area_may_submit_when_the_entry_names_none(client, portal_site, role_user):
    from portal.roles import HEADS_OF_SERVICE

    head = role_user(HEADS_OF_SERVICE)
    entry = PartnershipFactory(service_area=ServiceAreaFactory(head_of_service=head))
    Partnership.objects.filter(pk=entry.pk).update(head_of_service=None)
    client.force_login(head)
    assert client.get(report_url(entry)).status_code == 200


@pytest.mark.parametrize("who", ["other_lead_officer", "plain_staff", "board_member"])
def test_anyone_else_is_refused_and_nothing_is_saved(client, entry, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(report_url(entry)).status_code == 403
    assert client.post(report_url(entry), good_report()).status_code == 403
    assert client.get(review_url(entry)).status_code == 403
    assert ProgressReport.objects.count() == 0


def test_only_partnerships_the_council_is_in_take_reports(lead_client, portal_site, lead_officer):
    closed = PartnershipFactory(lead_officer=lead_officer, status=Status.CLOSED)
    proposal = PartnershipFactory(lead_officer=lead_officer, draft=True)
    assert lead_client.get(report_url(closed)).status_code == 404
    assert lead_client.get(review_url(proposal)).status_code == 404


# --- Progress report ----------------------------------------------------------------------------


def test_a_progress_report_is_saved_and_moves_the_next_date_on_without_a_draft(lead_client, entry, lead_officer):
    form = lead_client.get(report_url(entry))
    assert form.status_code == 200
    html = form.content.decode()
    assert 'name="period_end_day" type="text" inputmode="numeric" value="31"' in html  # the due date
    assert "This report is due on 31 March 2026" in html

    response = lead_client.post(report_url(entry), good_report())

    report = ProgressReport.objects.get()
    assert response.status_code == 302
    assert response.url == f"/intranet/register/{entry.pk}/progress-report/{report.pk}/?submitted=1"
    assert (report.period_start, report.period_end, report.rating) == (D(2025, 10, 1), DUE, "amber")
    assert report.sufficient_progress is True
    assert str(report.spend_to_date) == "1250.50"
    assert report.due_date == DUE
    assert report.submitted_by == lead_officer
    entry.refresh_from_db()
    assert entry.next_progress_report_due == D(2026, 9, 20)  # six months after the report, made 20 March
    # A record, not an edit of the entry: nothing waiting for approval; the history shows the new date.
    assert not entry.has_unpublished_changes
    assert entry.get_latest_revision_as_object().next_progress_report_due == D(2026, 9, 20)
    assert entry.live

    page = lead_client.get(response.url).content.decode()
    assert "Progress report submitted" in page
    assert "The next report is due on 20 September 2026" in page


BAD_REPORTS = [
    pytest.param(
        dict.fromkeys(good_report(), ""),
        [
            ("id_period_start_day", "Enter the start of the period"),
            ("id_period_end_day", "Enter the end of the period"),
            ("id_rating_0", "Select a RAG rating: red, amber or green"),
            ("id_sufficient_progress_0", "Select yes if the partnership is making sufficient progress"),
            ("id_achievements", "Enter what the partnership achieved in the period"),
            ("id_next_steps", "Enter the next steps for the coming period"),
            ("id_spend_to_date", "Enter the spend to date"),
        ],
        id="everything-missing",
    ),
    pytest.param(
        dated("period_end", D(2025, 9, 30)),
        [("id_period_end_day", "The end of the period must be the same as or after its start.")],
        id="end-before-start",
    ),
    pytest.param(
        dated("period_start", D(2025, 10, 1)) | {"period_start_day": "31", "period_start_month": "2"},
        [("id_period_start_day", "The start of the period must be a real date")],
        id="no-such-date",
    ),
    pytest.param(
        {"period_start_month": ""},
        [("id_period_start_day", "The start of the period must include a month")],
        id="date-without-month",
    ),
    pytest.param(
        {"period_end_year": "26"},
        [("id_period_end_day", "The year of the end of the period must include 4 numbers")],
        id="two-digit-year",
    ),
    pytest.param(
        {"period_end_day": "last"},
        [("id_period_end_day", "The end of the period must be a real date, in numbers")],
        id="date-in-words",
    ),
    pytest.param(
        {"rating": "purple"},
        [("id_rating_0", "Select a valid choice. purple is not one of the available choices.")],
        id="no-such-rating",
    ),
    pytest.param(
        {"rating": "red", "issues": ""},
        [("id_issues", "Say what is holding progress back: the report is not rated green.")],
        id="red-without-issues",
    ),
    pytest.param(
        {"rating": "green", "sufficient_progress": "no", "issues": "  "},
        [("id_issues", "Say what is holding progress back: progress is not sufficient.")],
        id="insufficient-without-issues",
    ),
    pytest.param(
        {"spend_to_date": "-5"}, [("id_spend_to_date", "The spend to date cannot be less than £0")], id="negative-spend"
    ),
    pytest.param(
        {"spend_to_date": "lots"},
        [("id_spend_to_date", "The spend to date must be an amount of money, like 1250 or 1250.50")],
        id="spend-in-words",
    ),
    pytest.param(
        {"spend_to_date": "10.505"},
        [("id_spend_to_date", "The spend to date must be in pounds and pence, like 1250.50")],
        id="fractions-of-a-penny",
    ),
]


@pytest.mark.parametrize(("changes", "errors"), BAD_REPORTS)
def test_each_bad_progress_report_input_gets_a_clear_message_and_nothing_is_saved(lead_client, entry, changes, errors):
    response = lead_client.post(report_url(entry), good_report(**changes))

    html = refused_with(response, errors)
    assert "<title>Error: Progress report" in html
    assert ProgressReport.objects.count() == 0
    entry.refresh_from_db()
    assert entry.next_progress_report_due == DUE


# --- Annual review ------------------------------------------------------------------------------


def test_the_review_asks_every_area_of_practice_and_the_five_minute_questions(lead_client, entry):
    html = lead_client.get(review_url(entry)).content.decode()
    codes = question_codes()
    assert codes["improvement"] == [f"A{n}" for n in range(1, 15)]
    assert codes["five_minute"] == [f"F{n}" for n in range(1, 9)]
    for kind, kind_codes in codes.items():
        for code in kind_codes:
            assert f'name="{kind}_{code}"' in html
            assert f'name="{kind}_{code}_action"' in html
    assert "Partnership Improvement Template" in html and "Five-minute review" in html


def test_an_annual_review_is_saved_with_its_answers_and_activity_summary(lead_client, entry):
    data = good_review(improvement_A9="no", improvement_A9_action="Agree a decision log with partners.")
    response = lead_client.post(review_url(entry), data)

    review = AnnualReview.objects.get()
    assert response.status_code == 302
    assert response.url == f"/intranet/register/{entry.pk}/annual-review/{review.pk}/?submitted=1"
    assert review.answers.count() == 22
    a9 = review.answers.get(code="A9")
    assert (a9.question_set, a9.answer, a9.action) == ("improvement", False, "Agree a decision log with partners.")
    assert a9.text == "Are decision-making arrangements effective?"
    assert review.due_date == D(2026, 6, 30)
    entry.refresh_from_db()
    assert entry.next_review_due == D(2027, 3, 20)  # twelve months after the review, held 20 March
    assert entry.status == Status.ACTIVE
    assert not entry.has_unpublished_changes
    assert ActivitySummary.objects.get(partnership=entry, year=2025).summary == "Met quarterly."

    # A second review of the same year replaces that year's summary rather than adding one.
    lead_client.post(review_url(entry), good_review(activity_summary="Met monthly."))
    assert list(ActivitySummary.objects.filter(partnership=entry).values_list("year", "summary")) == [
        (2025, "Met monthly.")
    ]


def test_exit_moves_the_entry_to_exiting_with_its_exit_plan(lead_client, entry):
    response = lead_client.post(
        review_url(entry), good_review(outcome="exit", exit_plan="Hand the work to the county partnership.")
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == Status.EXITING
    assert entry.exit_strategy == "Hand the work to the county partnership."
    assert not entry.has_unpublished_changes
    assert entry.get_latest_revision_as_object().status == Status.EXITING


BAD_REVIEWS = [
    pytest.param(
        {"outcome": "exit", "exit_plan": ""},
        [("id_exit_plan", "Enter the exit or succession plan: the outcome is exit.")],
        id="exit-without-plan",
    ),
    pytest.param(
        {"outcome": "improve"},
        [("id_improvements", "Say which improvements the partnership must make.")],
        id="improve-without-improvements",
    ),
    pytest.param(
        {"outcome": None},
        [("id_outcome_0", "Select the outcome: continue, continue with improvements, or exit")],
        id="no-outcome",
    ),
    pytest.param(
        {"improvement_A3": None},
        [("id_improvement_A3_0", "Select yes or no for question A3")],
        id="question-not-answered",
    ),
    pytest.param(
        {"improvement_A3": "no", "improvement_A3_action": " "},
        [("id_improvement_A3_action", "Enter the action for question A3: the answer is no")],
        id="no-without-action",
    ),
    pytest.param(
        {"five_minute_F6": "no"},
        [("id_five_minute_F6_action", "Enter the action for question F6: the answer is no")],
        id="five-minute-no-without-action",
    ),
    pytest.param(
        {"improvement_A1": "maybe"},
        [("id_improvement_A1_0", "Select a valid choice. maybe is not one of the available choices.")],
        id="not-yes-or-no",
    ),
    pytest.param(
        dated("review_date", timezone.localdate() + datetime.timedelta(days=1)),
        [("id_review_date_day", "The date of the review must be today or in the past")],
        id="review-in-the-future",
    ),
    pytest.param(
        {"activity_year": str(timezone.localdate().year + 1)},
        [("id_activity_year", "The year of the activity summary cannot be in the future")],
        id="summary-year-in-the-future",
    ),
    pytest.param(
        {"activity_year": "twenty"},
        [("id_activity_year", "The year of the activity summary must be a year in 4 numbers, like 2025")],
        id="summary-year-in-words",
    ),
    pytest.param(
        {"activity_summary": ""},
        [("id_activity_summary", "Enter the annual activity summary")],
        id="no-summary",
    ),
]


@pytest.mark.parametrize(("changes", "errors"), BAD_REVIEWS)
def test_each_bad_review_input_gets_a_clear_message_and_nothing_is_saved(lead_client, entry, changes, errors):
    response = lead_client.post(review_url(entry), good_review(**changes))

    refused_with(response, errors)
    assert AnnualReview.objects.count() == AnnualReviewAnswer.objects.count() == 0
    assert ActivitySummary.objects.filter(partnership=entry).count() == 0
    entry.refresh_from_db()
    assert (entry.status, entry.next_review_due) == (Status.ACTIVE, D(2026, 6, 30))


def test_errors_come_in_page_order_and_answers_are_kept(lead_client, entry):
    data = good_review(outcome="exit", improvement_A2=None, improvement_A5="no", activity_summary="")
    html = lead_client.post(review_url(entry), data).content.decode()
    assert [anchor for anchor, _ in error_summary(html)] == [
        "id_improvement_A2_0",
        "id_improvement_A5_action",
        "id_exit_plan",
        "id_activity_summary",
    ]
    assert 'id="id_improvement_A5_1" name="improvement_A5" type="radio" value="no" checked' in html


# --- Next due dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reported_on", "expected"),
    [
        (D(2026, 3, 20), D(2026, 9, 20)),  # from the date of the report, not the date it answered
        (D(2026, 1, 31), D(2026, 7, 31)),  # month end to month end
        (D(2026, 8, 31), D(2027, 2, 28)),  # a short month takes its last day
        (D(2027, 8, 31), D(2028, 2, 29)),  # ... in a leap year, the 29th
    ],
)
def test_the_next_progress_report_is_due_six_months_after_the_report(reported_on, expected):
    assert next_progress_report_due(reported_on) == expected


@pytest.mark.parametrize(
    ("reviewed_on", "expected"),
    [
        (D(2026, 12, 1), D(2027, 12, 1)),  # reviewed early: twelve months on, not a year after the old due date
        (D(2028, 2, 29), D(2029, 2, 28)),  # leap day
        (D(2027, 2, 28), D(2028, 2, 28)),  # into a leap year: the same day
    ],
)
def test_the_next_annual_review_is_due_twelve_months_after_the_review(reviewed_on, expected):
    assert next_review_due(reviewed_on) == expected


def test_the_cycles_come_from_the_register_settings(entry, lead_officer):
    settings = RegisterSettings.load()
    settings.progress_report_months = 3
    settings.save()
    report = ProgressReport(
        partnership=entry,
        period_start=D(2026, 1, 1),
        period_end=DUE,
        rating="green",
        sufficient_progress=True,
        achievements="a",
        next_steps="b",
    )
    assert submit_progress_report(report, lead_officer, today=DUE).next_due == D(2026, 6, 30)  # 31 March + 3 months


def test_a_draft_waiting_for_approval_gets_the_new_dates_so_publishing_it_keeps_them(
    entry, lead_officer, register_manager
):
    entry.name = "Community Safety Partnership (renamed)"
    entry.save_revision(user=lead_officer)
    entry.refresh_from_db()
    assert entry.has_unpublished_changes

    report = ProgressReport(
        partnership=entry,
        period_start=D(2025, 10, 1),
        period_end=DUE,
        rating="green",
        sufficient_progress=True,
        achievements="a",
        next_steps="b",
    )
    submit_progress_report(report, lead_officer, today=DUE)

    entry.refresh_from_db()
    assert entry.name == "Community Safety Partnership"  # the draft is still a draft
    assert entry.next_progress_report_due == D(2026, 9, 30)
    # Publishing the draft (from the edit form or the workflow) publishes its latest revision.
    entry.get_latest_revision().publish(user=register_manager)
    entry.refresh_from_db()
    assert entry.name == "Community Safety Partnership (renamed)"
    assert entry.next_progress_report_due == D(2026, 9, 30)


def test_a_review_summary_survives_publishing_a_waiting_draft(lead_client, entry, lead_officer, register_manager):
    entry.purpose = "A new purpose"
    entry.save_revision(user=lead_officer)
    assert lead_client.post(review_url(entry), good_review()).status_code == 302

    entry.refresh_from_db()
    entry.get_latest_revision().publish(user=register_manager)
    assert list(ActivitySummary.objects.filter(partnership=entry).values_list("year", "summary")) == [
        (2025, "Met quarterly.")
    ]
    entry.refresh_from_db()
    assert entry.purpose == "A new purpose"
    assert entry.next_review_due == D(2027, 3, 20)
