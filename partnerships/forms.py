"""The admin edit form for a register entry."""

from itertools import groupby

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.utils import get_user_display_name

from portal.models import QuestionSet

from .documents import MEETING_NOTE_DOCUMENT_FIELDS, PARTNERSHIP_DOCUMENT_FIELDS, limit_to_register_documents
from .models import ChecklistAnswer, ScreeningAnswer
from .models.proposal import PROPOSAL_STATUSES, YesNo
from .permissions import can_change_any, head_of_service_problem, heads_of_service

USER_FIELDS = ("lead_officer", "head_of_service", "champion")


class QuestionsWidget(forms.Widget):
    """Every question of a question set, by section, with its text, guidance and an answer input.

    The inputs are named ``<field>-<question id>``; the value is a dict of question id to answer.
    """

    template_name = "partnerships/proposal/widgets/questions.html"

    def __init__(self, yes_no=False, attrs=None):
        super().__init__(attrs)
        self.yes_no = yes_no
        self.questions = []

    def value_from_datadict(self, data, files, name):
        return {str(question.pk): data.get(f"{name}-{question.pk}", "") for question in self.questions}

    def value_omitted_from_data(self, data, files, name):
        return not any(f"{name}-{question.pk}" in data for question in self.questions)

    def render(self, name, value, attrs=None, renderer=None):
        # The project's template engine (templates/), not the form renderer's own.
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))  # noqa: S308

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        value = value or {}
        sections = []
        for section, items in groupby(self.questions, key=lambda question: question.section):
            rows = []
            for question in items:
                answer = value.get(str(question.pk), "")
                rows.append(
                    {
                        "question": question,
                        "name": f"{name}-{question.pk}",
                        "id": f"id_{name}-{question.pk}",
                        "value": answer,
                        "stops": bool(question.stops_when) and answer == question.stops_when,
                    }
                )
            sections.append({"title": section, "rows": rows})
        context["widget"].update(sections=sections, yes_no=self.yes_no, choices=YesNo.choices)
        return context


class QuestionAnswersField(forms.Field):
    """Answers to a question set (see ``PartnershipForm``); none is required until the proposal is submitted."""

    def __init__(self, *, yes_no=False, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(widget=QuestionsWidget(yes_no=yes_no), **kwargs)
        self.yes_no = yes_no

    def to_python(self, value):
        return {key: answer.strip() for key, answer in (value or {}).items() if (answer or "").strip()}

    def validate(self, value):
        super().validate(value)
        if self.yes_no and any(answer not in YesNo.values for answer in value.values()):
            raise forms.ValidationError("Answer yes or no.")

    def has_changed(self, initial, data):
        return self.to_python(initial) != self.to_python(data)


# form field → (child relation, answer model, question set kind)
ANSWER_FIELDS = {
    "screening": ("screening_answers", ScreeningAnswer, QuestionSet.Kind.DECISION_TREE),
    "checklist": ("checklist_answers", ChecklistAnswer, QuestionSet.Kind.CHECKLIST),
}


class PartnershipForm(WagtailAdminModelForm):
    screening = QuestionAnswersField(
        yes_no=True,
        label="Screening: the pre-partnership decision tree",
        help_text="Answer every question. An answer showing that it is not a partnership stops the proposal.",
    )
    checklist = QuestionAnswersField(
        label="Partnership checklist",
        help_text="Answer every question briefly. If you do not know yet, say so and what you will do to find out.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_answers()
        people = get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name", "username")
        for name in USER_FIELDS:
            if name in self.fields:
                self.fields[name].queryset = people
                self.fields[name].label_from_instance = get_user_display_name
        self._limit_priorities()
        self._limit_heads_of_service()
        self._pin_lead_officer()
        self._limit_documents()

    def _limit_priorities(self):
        field = self.fields.get("council_priorities")
        if field is None:
            return
        linked = self.instance.council_priorities.all() if self.instance.pk else []
        field.queryset = field.queryset.filter(Q(active=True) | Q(pk__in=[p.pk for p in linked]))

    def _limit_documents(self):
        """Register documents come from the private collection only, even when posted by hand."""
        for name in PARTNERSHIP_DOCUMENT_FIELDS:
            if name in self.fields:
                limit_to_register_documents(self.fields[name], getattr(self.instance, f"{name}_id", None))
        formset = self.formsets.get("meeting_notes")
        for form in formset.forms if formset is not None else []:
            for name in MEETING_NOTE_DOCUMENT_FIELDS:
                if name in form.fields:
                    limit_to_register_documents(form.fields[name], getattr(form.instance, f"{name}_id", None))

    def _limit_heads_of_service(self):
        """Only Heads of Service are offered; an entry keeps the one it names, to be corrected if need be."""
        field = self.fields.get("head_of_service")
        if field is None:
            return
        # The one named stays visible even if they can no longer act, so the error beside it makes sense.
        current = self.instance.head_of_service_id
        field.queryset = (
            get_user_model()
            .objects.filter(Q(pk__in=heads_of_service().values("pk")) | Q(pk=current))
            .order_by("first_name", "last_name", "username")
        )
        field.error_messages["invalid_choice"] = "Choose a Head of Service from the Heads of Service group."
        field.help_text = (
            "Chosen from the Heads of Service group; when left empty, the Head of the service area. "
            "They endorse the proposal before Management Board decides, so never its lead officer or proposer."
        )

    def _will_be_proposal(self):
        status = self.cleaned_data.get("status", self.instance.status)
        return self.instance.first_published_at is None and status in PROPOSAL_STATUSES

    def _proposer_id(self):
        # Whoever submits a draft proposes it; once it is in a workflow, whoever submitted it.
        state = self.instance.current_workflow_state if self.instance.pk else None
        if state is not None and state.status == state.STATUS_IN_PROGRESS:
            return state.requested_by_id
        return self.for_user.pk if self.for_user is not None else None

    def clean(self):
        cleaned = super().clean()
        if "head_of_service" in self.fields and "head_of_service" not in self.errors and self._will_be_proposal():
            head = cleaned.get("head_of_service")
            area = cleaned.get("service_area")
            if head is None and area is not None:
                head = area.head_of_service  # what saving fills in (Partnership._fill_defaults)
            lead = cleaned.get("lead_officer")
            problem = head_of_service_problem(
                head, lead_officer_id=lead.pk if lead else None, proposer_id=self._proposer_id()
            )
            if problem and cleaned.get("head_of_service") is None:
                problem = f"Left empty, it would be the Head of {area}. {problem}"
            if problem:
                self.add_error("head_of_service", problem)
        return cleaned

    def _pin_lead_officer(self):
        """A lead officer proposes and keeps their own entries; only register managers reassign them."""
        user = self.for_user
        field = self.fields.get("lead_officer")
        if field is None or user is None or can_change_any(user):
            return
        field.disabled = True
        field.help_text = "Only a register manager can give an entry to another lead officer."
        if not self.instance.pk:
            field.initial = user.pk
            self.initial["lead_officer"] = user.pk

    def _init_answers(self):
        """The question sets are data: each answer field gets its questions and the entry's answers now."""
        self._questions = {}
        for name, (relation, _, kind) in ANSWER_FIELDS.items():
            if name not in self.fields:
                continue
            question_set = QuestionSet.objects.filter(kind=kind).prefetch_related("questions").first()
            self._questions[name] = list(question_set.questions.all()) if question_set else []
            self.fields[name].widget.questions = self._questions[name]
            self.initial[name] = {
                str(answer.question_id): answer.answer
                for answer in getattr(self.instance, relation).all()
                if answer.question_id
            }

    def save(self, commit=True):
        self._store_answers()
        return super().save(commit=commit)

    def _store_answers(self):
        """Write the answers into the entry's child records, kept with it in its revisions."""
        for name, (relation, model, _) in ANSWER_FIELDS.items():
            if name not in self._questions or name not in self.cleaned_data:
                continue
            if self.fields[name].widget.value_omitted_from_data(self.data, self.files, self.add_prefix(name)):
                continue  # a post without these inputs (not the admin's form) leaves the answers alone
            given = self.cleaned_data[name]
            asked = {question.pk for question in self._questions[name]}
            current = list(getattr(self.instance, relation).all())
            # Answers to questions no longer in the set stay as they were given.
            answers = [answer for answer in current if answer.question_id not in asked]
            existing = {answer.question_id: answer for answer in current if answer.question_id in asked}
            for question in self._questions[name]:
                text = given.get(str(question.pk))
                if not text:
                    continue
                answer = existing.get(question.pk) or model(question=question)
                answer.answer = text
                answers.append(answer)
            setattr(self.instance, relation, answers)

    def is_valid(self):
        valid = super().is_valid()
        # Not database constraints: child rows are rewritten from revisions on publish.
        unique_summaries = self._unique_in_formset("activity_summaries", "year", "There is already a summary for {}.")
        unique_partners = self._unique_in_formset("partners", "organisation", "{} is already a partner.")
        return valid and unique_summaries and unique_partners

    def _unique_in_formset(self, relation, field_name, message):
        formset = self.formsets.get(relation)
        if formset is None or not formset.is_valid():
            return True
        seen = set()
        ok = True
        for form in formset.forms:
            value = form.cleaned_data.get(field_name)
            if value is None or (formset.can_delete and formset._should_delete_form(form)):
                continue
            if value in seen:
                form.add_error(field_name, message.format(value))
                ok = False
            seen.add(value)
        return ok


class ServiceAreaForm(WagtailAdminModelForm):
    """A service area's Head of Service, who entries in the area default to: offered from the Heads of Service."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["head_of_service"]
        current = self.instance.head_of_service_id
        field.queryset = (
            get_user_model()
            .objects.filter(Q(pk__in=heads_of_service().values("pk")) | Q(pk=current))
            .order_by("first_name", "last_name", "username")
        )
        field.label_from_instance = get_user_display_name
        field.error_messages["invalid_choice"] = "Choose a Head of Service from the Heads of Service group."
