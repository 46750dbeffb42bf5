"""Intranet forms for progress reports and annual reviews, rendered as GOV.UK components.

Every message names the field and says what to do, as the GOV.UK Design System
asks ("Enter the start of the period", not "This field is required"). Each form
lists its errors with the id of the input to jump to (``error_links``), for the
error summary at the top of the page.
"""

import datetime
from decimal import Decimal, InvalidOperation

from dateutil.relativedelta import relativedelta
from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.utils import timezone

from partnerships.models import AnnualReview, ProgressReport, Rating, RegisterSettings, ReviewOutcome
from partnerships.models.reviews import missing_action

from .services import answers_from

YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes_no(value):
    return {"yes": True, "no": False}.get(value)


# --- GOV.UK date input: day, month and year -------------------------------------------------------


class DateInput(forms.MultiWidget):
    def __init__(self, attrs=None):
        super().__init__({"day": forms.TextInput, "month": forms.TextInput, "year": forms.TextInput}, attrs)

    def decompress(self, value):
        return [value.day, value.month, value.year] if value else [None, None, None]


class DateBoundField(BoundField):
    @property
    def parts(self):
        """{"day": …, "month": …, "year": …} as typed, or from the initial date."""
        value = self.value()
        if isinstance(value, datetime.date):
            value = [value.day, value.month, value.year]
        value = value or ["", "", ""]
        return {
            name: ("" if part is None else part) for name, part in zip(("day", "month", "year"), value, strict=True)
        }

    @property
    def anchor(self):
        return f"{self.auto_id}_day"


class NamedField(forms.Field):
    """A field whose messages name what it holds, as GOV.UK's error messages do."""

    def __init__(self, *, what, **kwargs):
        self.what = what  # "the start of the period"
        kwargs.setdefault("error_messages", {}).setdefault("required", f"Enter {what}")
        super().__init__(**kwargs)

    def invalid(self, problem):
        """ "The start of the period must be a real date": ``problem`` after what the field holds."""
        return ValidationError(f"{self.what.capitalize()} {problem}")


class GovukDateField(NamedField):
    widget = DateInput
    bound_field_class = DateBoundField

    def __init__(self, *, what, not_in_future=False, **kwargs):
        self.not_in_future = not_in_future
        super().__init__(what=what, **kwargs)

    def to_python(self, value):
        parts = [str(part or "").strip() for part in (value or ["", "", ""])]
        if not any(parts):
            return None
        missing = [name for name, part in zip(("day", "month", "year"), parts, strict=True) if not part]
        if missing:
            raise self.invalid(f"must include a {' and a '.join(missing)}")
        day, month, year = parts
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise self.invalid("must be a real date, in numbers")
        if len(year) != 4:
            raise ValidationError(f"The year of {self.what} must include 4 numbers")
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError as error:
            raise self.invalid("must be a real date") from error

    def validate(self, value):
        super().validate(value)
        if value and self.not_in_future and value > timezone.localdate():
            raise self.invalid("must be today or in the past")


# --- Other GOV.UK fields ---------------------------------------------------------------------------


class AnchoredBoundField(BoundField):
    @property
    def anchor(self):
        # Radios link to their first option, as the GOV.UK error summary does.
        if isinstance(self.field.widget, forms.RadioSelect):
            return f"{self.auto_id}_0"
        return self.auto_id


class Radios(forms.ChoiceField):
    widget = forms.RadioSelect
    bound_field_class = AnchoredBoundField


class TextArea(forms.CharField):
    widget = forms.Textarea
    bound_field_class = AnchoredBoundField

    def __init__(self, *, required_message=None, **kwargs):
        if required_message:
            kwargs.setdefault("error_messages", {})["required"] = required_message
        super().__init__(**kwargs)


class PoundsField(NamedField):
    """An amount of money in pounds: "1,250", "£1250.50"."""

    bound_field_class = AnchoredBoundField

    def to_python(self, value):
        text = str(value or "").strip().replace(",", "").removeprefix("£").strip()
        if not text:
            return None
        try:
            amount = Decimal(text)
        except InvalidOperation as error:
            raise self.invalid("must be an amount of money, like 1250 or 1250.50") from error
        if not amount.is_finite():
            raise self.invalid("must be an amount of money, like 1250 or 1250.50")
        if amount < 0:
            raise self.invalid("cannot be less than £0")
        if amount != amount.quantize(Decimal("0.01")):
            raise self.invalid("must be in pounds and pence, like 1250.50")
        if amount >= Decimal("10000000000"):
            raise self.invalid("must be less than £10,000,000,000")
        return amount


class YearField(NamedField):
    bound_field_class = AnchoredBoundField

    def to_python(self, value):
        text = str(value or "").strip()
        if not text:
            return None
        if not (text.isdigit() and len(text) == 4):
            raise self.invalid("must be a year in 4 numbers, like 2025")
        year = int(text)
        if year < 1990:
            raise self.invalid("must be 1990 or later")
        if year > timezone.localdate().year:
            raise self.invalid("cannot be in the future")
        return year


class ErrorLinksMixin:
    def error_links(self):
        """[(anchor id, message)] in the order of the form, for the GOV.UK error summary."""
        links = []
        fields = list(self)
        for error in self.non_field_errors():
            links.append((fields[0].anchor if fields else "", error))
        for bound in fields:
            for error in bound.errors:
                links.append((bound.anchor, error))
        return links


# --- Progress report ----------------------------------------------------------------------------


class ProgressReportForm(ErrorLinksMixin, forms.ModelForm):
    period_start = GovukDateField(what="the start of the period")
    period_end = GovukDateField(what="the end of the period")
    rating = Radios(
        label="RAG rating",
        choices=Rating.choices,
        error_messages={"required": "Select a RAG rating: red, amber or green"},
    )
    sufficient_progress = Radios(
        label="Is the partnership making sufficient progress?",
        choices=YES_NO,
        error_messages={"required": "Select yes if the partnership is making sufficient progress"},
    )
    achievements = TextArea(
        label="Achievements in the period",
        required_message="Enter what the partnership achieved in the period",
        max_length=10_000,
    )
    issues = TextArea(label="Issues", required=False, max_length=10_000)
    next_steps = TextArea(
        label="Next steps", required_message="Enter the next steps for the coming period", max_length=10_000
    )
    spend_to_date = PoundsField(what="the spend to date", label="Spend to date")

    class Meta:
        model = ProgressReport
        fields = [
            "period_start",
            "period_end",
            "rating",
            "sufficient_progress",
            "achievements",
            "issues",
            "next_steps",
            "spend_to_date",
        ]

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.partnership = partnership
        self.fields["issues"].help_text = ProgressReport._meta.get_field("issues").help_text
        if not self.is_bound and self.instance.pk is None:
            self.initial.update(_period_for(partnership))

    def clean_sufficient_progress(self):
        return _yes_no(self.cleaned_data.get("sufficient_progress"))


def _period_for(partnership):
    """The period a new report most likely covers: up to the due date, one cycle long."""
    end = partnership.next_progress_report_due or timezone.localdate()
    previous = ProgressReport.objects.filter(partnership=partnership).latest_first().first()
    if previous is not None:
        start = previous.period_end + datetime.timedelta(days=1)
    else:
        start = end - relativedelta(months=RegisterSettings.load().progress_report_months) + datetime.timedelta(days=1)
    return {"period_start": min(start, end), "period_end": end}


# --- Annual review ------------------------------------------------------------------------------


class AnnualReviewForm(ErrorLinksMixin, forms.ModelForm):
    """The review's own fields plus, per question of each question set, an answer and an action."""

    review_date = GovukDateField(what="the date of the review", not_in_future=True)
    outcome = Radios(
        label="Outcome of the review",
        choices=ReviewOutcome.choices,
        error_messages={"required": "Select the outcome: continue, continue with improvements, or exit"},
    )
    improvements = TextArea(label="Improvements the partnership must make", required=False, max_length=10_000)
    exit_plan = TextArea(label="Exit or succession plan", required=False, max_length=10_000)
    activity_year = YearField(what="the year of the activity summary", label="Year the summary covers")
    activity_summary = TextArea(
        label="Annual activity summary",
        required_message="Enter the annual activity summary",
        max_length=20_000,
    )

    class Meta:
        model = AnnualReview
        fields = ["review_date", "outcome", "improvements", "exit_plan", "activity_year", "activity_summary"]

    def __init__(self, *args, partnership, question_sets, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.partnership = partnership
        self.question_sets = question_sets
        today = timezone.localdate()
        if not self.is_bound:
            self.initial.setdefault("review_date", today)
            # The year most of the twelve months under review fall in.
            self.initial.setdefault("activity_year", (today - datetime.timedelta(days=182)).year)
            self.initial.setdefault("exit_plan", partnership.exit_strategy)
        self.question_fields = []
        for question_set in question_sets:
            section = []
            for question in question_set.questions.all():
                name = self.answer_name(question_set.kind, question.code)
                self.fields[name] = Radios(
                    label=f"{question.code}. {question.text}",
                    choices=YES_NO,
                    error_messages={"required": f"Select yes or no for question {question.code}"},
                    help_text=question.guidance,
                )
                self.fields[f"{name}_action"] = TextArea(label="Action", required=False, max_length=5_000)
                section.append((question, name))
            self.question_fields.append((question_set, section))
        # In the order of the page, so the error summary follows it.
        questions = [n for _, section in self.question_fields for _, q in section for n in (q, f"{q}_action")]
        self.order_fields(["review_date", *questions])

    @staticmethod
    def answer_name(kind, code):
        return f"{kind}_{code}"

    def question_rows(self):
        """[(question set, [(question, answer field, action field)])] for the template."""
        return [
            (question_set, [(question, self[name], self[f"{name}_action"]) for question, name in section])
            for question_set, section in self.question_fields
        ]

    def clean(self):
        cleaned = super().clean()
        for _question_set, section in self.question_fields:
            for question, name in section:
                action = (cleaned.get(f"{name}_action") or "").strip()
                cleaned[f"{name}_action"] = action
                error = missing_action(question.code, cleaned.get(name) == "no", action)
                if error:
                    self.add_error(f"{name}_action", error)
        return cleaned

    def answers(self):
        cleaned = {}
        for question_set, section in self.question_fields:
            for question, name in section:
                cleaned[(question_set.kind, question.code)] = (
                    _yes_no(self.cleaned_data[name]),
                    self.cleaned_data[f"{name}_action"],
                )
        return answers_from(self.question_sets, cleaned)
