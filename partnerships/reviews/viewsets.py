"""Progress reports and annual reviews in the admin, in the "Partnerships" menu.

Adding one here does what the intranet form does (``reviews.services``): it moves the
entry's due dates on, and an "exit" review moves the entry to exiting. Lead officers
and Heads of Service may add them only for the partnerships they answer for; only
register managers change or delete them afterwards (to correct a mistake).
"""

from django import forms
from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column

from partnerships.admin_views import RegisterSnippetViewSet
from partnerships.choosers import PermissionCheckedChooserMixin
from partnerships.models import AnnualReview, Partnership, ProgressReport
from partnerships.models.reviews import missing_action
from partnerships.permissions import answered_for_by
from portal.models import Question, QuestionSet

from .services import reviewable, submit_annual_review, submit_progress_report

YES_NO = [("yes", "Yes"), ("no", "No")]
REVIEW_QUESTION_SETS = (QuestionSet.Kind.IMPROVEMENT, QuestionSet.Kind.FIVE_MINUTE)


def _yes_no_field(label, message):
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": message},
    )


def partnerships_for(user):
    """The partnerships in force ``user`` may report on: led, overseen, or all for register managers."""
    return answered_for_by(user, Partnership.objects.in_force())


class ReviewAdminFormMixin:
    def _limit_partnerships(self):
        field = self.fields.get("partnership")
        if field is None:
            return
        if self.instance.pk:
            field.disabled = True
        elif self.for_user is not None:
            field.queryset = partnerships_for(self.for_user).order_by("name")

    def clean_partnership(self):
        partnership = self.cleaned_data.get("partnership")
        if partnership is not None and not self.instance.pk and not reviewable(partnership):
            raise ValidationError("Reports and reviews are made only for partnerships the council is in.")
        return partnership


class ProgressReportAdminForm(ReviewAdminFormMixin, WagtailAdminModelForm):
    sufficient_progress = _yes_no_field(
        "Is the partnership making sufficient progress?",
        "Select yes if the partnership is making sufficient progress",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_partnerships()
        if self.instance.pk:
            self.initial["sufficient_progress"] = "yes" if self.instance.sufficient_progress else "no"

    def save(self, commit=True):
        if self.instance.pk is None and commit:
            return submit_progress_report(super().save(commit=False), self.for_user).record
        return super().save(commit=commit)


class AnnualReviewAdminForm(ReviewAdminFormMixin, WagtailAdminModelForm):
    """The review with one answer row per question, filled in for a new review."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_partnerships()
        formset = self.formsets.get("answers")
        if formset is not None and self.instance.pk is None and not self.is_bound:
            questions = _review_questions()
            formset.extra = len(questions)
            formset.initial_extra = [{"question": question.pk} for question in questions]

    def is_valid(self):
        valid = super().is_valid()
        return self._check_answers() and valid

    def _check_answers(self):
        formset = self.formsets.get("answers")
        if formset is None or not formset.is_valid():
            return True
        answered = {}
        ok = True
        for form in formset.forms:
            if formset.can_delete and formset._should_delete_form(form):
                continue
            question = form.cleaned_data.get("question")
            if question is None:
                continue
            if question.pk in answered:
                form.add_error("question", f"Question {question.code} is answered twice.")
                ok = False
            answered[question.pk] = form
            if form.data.get(form.add_prefix("answer")) in (None, ""):
                form.add_error("answer", f"Select yes or no for question {question.code}.")
                ok = False
            elif error := missing_action(
                question.code, form.cleaned_data.get("answer") is False, form.cleaned_data.get("action")
            ):
                form.add_error("action", f"{error}.")  # the admin's messages end in a full stop
                ok = False
        missing = [q.code for q in _review_questions() if q.pk not in answered]
        if missing:
            self.add_error(None, f"Answer every question of the template: {', '.join(missing)} not answered.")
            ok = False
        return ok

    def save(self, commit=True):
        formset = self.formsets["answers"]
        for form in formset.forms:
            if not form.cleaned_data or (formset.can_delete and formset._should_delete_form(form)):
                continue
            answer = form.save(commit=False)
            question = answer.question
            answer.question_set = question.question_set.kind
            answer.code = question.code
            answer.text = question.text
        if self.instance.pk is None and commit:
            # The answers are the review's child rows: saving the review writes them.
            review = super().save(commit=False)
            return submit_annual_review(review, [], self.for_user).record
        return super().save(commit=commit)


def _review_questions():
    return list(
        Question.objects.filter(question_set__kind__in=REVIEW_QUESTION_SETS)
        .select_related("question_set")
        .order_by("question_set__kind", "sort_order")
    )


class ReviewViewSet(PermissionCheckedChooserMixin, RegisterSnippetViewSet):
    """What both share: the listing shows the partnership; only managers edit afterwards."""

    list_filter = []
    copy_view_enabled = False
    inspect_view_enabled = True

    def get_queryset(self, request):
        return self.model.objects.select_related("partnership", "submitted_by")


class ProgressReportViewSet(ReviewViewSet):
    model = ProgressReport
    icon = "doc-full"
    menu_label = "Progress reports"
    menu_order = 150
    ordering = ["-period_end", "-submitted_at"]
    list_display = [
        Column("partnership", label="Partnership"),
        "period_end",
        Column("rating", label="Rating", accessor="get_rating_display"),
        Column(
            "sufficient_progress",
            label="Sufficient progress",
            accessor=lambda r: "Yes" if r.sufficient_progress else "No",
        ),
        "submitted_at",
    ]
    list_filter = ["rating", "sufficient_progress", "partnership__service_area"]
    list_export = [
        "partnership",
        "period_start",
        "period_end",
        "get_rating_display",
        "sufficient_progress",
        "achievements",
        "issues",
        "next_steps",
        "spend_to_date",
        "due_date",
        "submitted_at",
    ]
    export_headings = {"get_rating_display": "RAG rating"}
    export_filename = "progress-reports"
    edit_handler = ObjectList(
        [
            FieldPanel("partnership"),
            FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end")], heading="Period"),
            FieldPanel("rating"),
            FieldPanel("sufficient_progress"),
            FieldPanel("achievements"),
            FieldPanel("issues"),
            FieldPanel("next_steps"),
            FieldPanel("spend_to_date"),
        ],
        base_form_class=ProgressReportAdminForm,
    )


class AnnualReviewViewSet(ReviewViewSet):
    model = AnnualReview
    icon = "tasks"
    menu_label = "Annual reviews"
    menu_order = 160
    ordering = ["-review_date", "-submitted_at"]
    list_display = [
        Column("partnership", label="Partnership"),
        "review_date",
        Column("outcome", label="Outcome", accessor="get_outcome_display"),
        "submitted_at",
    ]
    list_filter = ["outcome", "partnership__service_area"]
    list_export = [
        "partnership",
        "review_date",
        "get_outcome_display",
        "improvements",
        "exit_plan",
        "activity_year",
        "activity_summary",
        "due_date",
        "submitted_at",
    ]
    export_headings = {"get_outcome_display": "Outcome"}
    export_filename = "annual-reviews"
    edit_handler = ObjectList(
        [
            FieldPanel("partnership"),
            FieldPanel("review_date"),
            InlinePanel(
                "answers",
                panels=[
                    FieldPanel("question"),
                    FieldPanel("answer", widget=forms.RadioSelect(choices=[(True, "Yes"), (False, "No")])),
                    FieldPanel("action"),
                ],
                heading="Improvement Template and five-minute review",
                label="Answer",
            ),
            MultiFieldPanel(
                [FieldPanel("outcome"), FieldPanel("improvements"), FieldPanel("exit_plan")], heading="Outcome"
            ),
            MultiFieldPanel(
                [FieldPanel("activity_year"), FieldPanel("activity_summary")], heading="Annual activity summary"
            ),
        ],
        base_form_class=AnnualReviewAdminForm,
    )
