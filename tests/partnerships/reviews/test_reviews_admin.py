"""Progress reports and annual reviews in the admin's Partnerships menu: the same rules as the intranet forms."""

import datetime

import pytest

from partnerships.models import AnnualReview, Partnership, ProgressReport, Status
from portal.models import Question
from tests.partnerships.factories import PartnershipFactory

pytestmark = pytest.mark.django_db

D = datetime.date
REPORTS = "/admin/snippets/partnerships/progressreport/"
REVIEWS = "/admin/snippets/partnerships/annualreview/"


def report_data(entry, **changes):
    data = {
        "partnership": str(entry.pk),
        "period_start": "2025-10-01",
        "period_end": "2026-03-31",
        "rating": "green",
        "sufficient_progress": "yes",
        "achievements": "Joint patrols.",
        "issues": "",
        "next_steps": "More patrols.",
        "spend_to_date": "100.00",
    }
    data.update(changes)
    return data


def questions():
    return list(
        Question.objects.filter(question_set__kind__in=["improvement", "five_minute"]).order_by(
            "question_set__kind", "sort_order"
        )
    )


def review_data(entry, answers=None, **changes):
    answers = answers if answers is not None else {q.pk: ("True", "") for q in questions()}
    data = {
        "partnership": str(entry.pk),
        "review_date": "2026-03-19",
        "outcome": "continue",
        "improvements": "",
        "exit_plan": "",
        "activity_year": "2025",
        "activity_summary": "Met quarterly.",
        "answers-TOTAL_FORMS": str(len(answers)),
        "answers-INITIAL_FORMS": "0",
        "answers-MIN_NUM_FORMS": "0",
        "answers-MAX_NUM_FORMS": "1000",
    }
    for i, (question_id, (answer, action)) in enumerate(answers.items()):
        data |= {f"answers-{i}-question": str(question_id), f"answers-{i}-action": action, f"answers-{i}-id": ""}
        if answer is not None:
            data[f"answers-{i}-answer"] = answer
    data.update(changes)
    return data


def test_they_are_in_the_partnerships_menu(client, register_manager):
    client.force_login(register_manager)
    html = client.get("/admin/").content.decode()
    assert REPORTS in html and REVIEWS in html


def test_a_lead_officer_adds_a_report_for_their_own_entry_and_the_date_moves_on(
    lead_client, entry, lead_officer, other_lead_officer
):
    others = PartnershipFactory(name="Not mine", lead_officer=other_lead_officer)
    form = lead_client.get(f"{REPORTS}add/")
    assert form.status_code == 200
    choices = list(form.context["form"].fields["partnership"].queryset)
    assert choices == [entry]

    refused = lead_client.post(f"{REPORTS}add/", report_data(others))
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()
    assert ProgressReport.objects.count() == 0

    response = lead_client.post(f"{REPORTS}add/", report_data(entry))
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert (report.submitted_by, report.due_date, report.sufficient_progress) == (lead_officer, D(2026, 3, 31), True)
    entry.refresh_from_db()
    assert entry.next_progress_report_due == D(2026, 9, 20)  # six months after the report, made 20 March
    assert not entry.has_unpublished_changes  # a record, not a draft waiting for approval


def test_the_admin_form_refuses_bad_input_and_saves_nothing(lead_client, entry):
    response = lead_client.post(
        f"{REPORTS}add/", report_data(entry, rating="red", sufficient_progress="", period_end="2025-01-01")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["issues"] == ["Say what is holding progress back: the report is not rated green."]
    assert errors["period_end"] == ["The end of the period must be the same as or after its start."]
    assert errors["sufficient_progress"] == ["Select yes if the partnership is making sufficient progress"]
    assert ProgressReport.objects.count() == 0


def test_only_register_managers_change_a_report_afterwards(lead_client, entry, register_manager):
    lead_client.post(f"{REPORTS}add/", report_data(entry))
    report = ProgressReport.objects.get()
    assert lead_client.get(f"{REPORTS}edit/{report.pk}/").status_code in (302, 403)
    lead_client.force_login(register_manager)
    response = lead_client.post(f"{REPORTS}edit/{report.pk}/", report_data(entry, achievements="Corrected."))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.achievements == "Corrected."
    entry.refresh_from_db()
    assert entry.next_progress_report_due == D(2026, 9, 20)  # a correction does not move the date again


def test_a_new_review_in_the_admin_lists_every_question(client, entry, register_manager):
    client.force_login(register_manager)
    response = client.get(f"{REVIEWS}add/")
    assert response.status_code == 200
    formset = response.context["form"].formsets["answers"]
    assert [form.initial["question"] for form in formset.forms] == [q.pk for q in questions()]
    assert len(formset.forms) == 22


def test_an_exit_review_in_the_admin_needs_the_plan_then_moves_the_entry(client, entry, register_manager):
    client.force_login(register_manager)
    response = client.post(f"{REVIEWS}add/", review_data(entry, outcome="exit"))
    assert response.status_code == 200
    assert response.context["form"].errors["exit_plan"] == ["Enter the exit or succession plan: the outcome is exit."]
    assert AnnualReview.objects.count() == 0

    response = client.post(f"{REVIEWS}add/", review_data(entry, outcome="exit", exit_plan="Hand over to the county."))
    assert response.status_code == 302
    review = AnnualReview.objects.get()
    assert review.answers.count() == 22
    assert {a.code for a in review.answers.all()} == {q.code for q in questions()}
    entry = Partnership.objects.get(pk=entry.pk)
    assert (entry.status, entry.exit_strategy, entry.next_review_due) == (
        Status.EXITING,
        "Hand over to the county.",
        D(2027, 3, 19),  # twelve months after the review date given,
    )


def test_the_admin_review_needs_every_question_answered_and_an_action_for_each_no(client, entry, register_manager):
    client.force_login(register_manager)
    all_questions = questions()
    answers = {q.pk: ("True", "") for q in all_questions[1:]}  # the first one left out
    answers[all_questions[1].pk] = ("False", "")  # a "no" without an action
    answers[all_questions[2].pk] = (None, "")  # neither yes nor no
    response = client.post(f"{REVIEWS}add/", review_data(entry, answers))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.non_field_errors() == [f"Answer every question of the template: {all_questions[0].code} not answered."]
    forms = form.formsets["answers"].forms
    assert forms[0].errors["action"] == [f"Enter the action for question {all_questions[1].code}: the answer is no."]
    assert forms[1].errors["answer"] == [f"Select yes or no for question {all_questions[2].code}."]
    assert AnnualReview.objects.count() == 0
