"""The admin edit form for a register entry."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.admin.forms import WagtailAdminModelForm

from .permissions import can_change_any

USER_FIELDS = ("lead_officer", "head_of_service")


class PartnershipForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name", "username")
        for name in USER_FIELDS:
            if name in self.fields:
                self.fields[name].queryset = people
                self.fields[name].label_from_instance = _person
        self._limit_priorities()
        self._pin_lead_officer()

    def _limit_priorities(self):
        field = self.fields.get("council_priorities")
        if field is None:
            return
        linked = self.instance.council_priorities.all() if self.instance.pk else []
        field.queryset = field.queryset.filter(Q(active=True) | Q(pk__in=[p.pk for p in linked]))

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


def _person(user):
    return user.get_full_name() or user.get_username()
