"""Filters for the admin listing of register entries."""

import django_filters
from django import forms
from django.db.models import Q
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.widgets import BooleanRadioSelect

from .models import Partnership, ServiceArea, Status


def _yes_no(label, method):
    return django_filters.BooleanFilter(label=label, method=method, widget=BooleanRadioSelect)


class PartnershipFilterSet(WagtailFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Status.choices, widget=forms.CheckboxSelectMultiple)
    service_area = django_filters.ModelChoiceFilter(queryset=ServiceArea.objects.all(), empty_label="All")
    significant = _yes_no("Significant", "filter_significant")
    review_overdue = _yes_no("Annual review overdue", "filter_review_overdue")
    report_overdue = _yes_no("Progress report overdue", "filter_report_overdue")
    missing_governance = _yes_no("Missing governance documents", "filter_missing_governance")
    led_by_me = _yes_no("Led by me", "filter_led_by_me")

    class Meta:
        model = Partnership
        fields = ["status", "level", "basis", "geography", "council_role", "service_area"]

    def filter_significant(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.significant() if value else queryset.not_significant()

    def filter_review_overdue(self, queryset, name, value):
        return _split(queryset, value, Partnership.objects.overdue_review())

    def filter_report_overdue(self, queryset, name, value):
        return _split(queryset, value, Partnership.objects.overdue_progress_report())

    def filter_missing_governance(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.missing_governance_documents() if value else queryset.complete_governance()

    def filter_led_by_me(self, queryset, name, value):
        if value is None:
            return queryset
        mine = Q(lead_officer=self.request.user) if self.request else Q(pk__in=[])
        return queryset.filter(mine) if value else queryset.exclude(mine)


def _split(queryset, value, matching):
    if value is None:
        return queryset
    pks = matching.values("pk")
    return queryset.filter(pk__in=pks) if value else queryset.exclude(pk__in=pks)
