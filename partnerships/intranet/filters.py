"""The intranet register's filters: search words, status, service area and what needs attention."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q

from ..models import IN_FORCE_STATUSES, PartnershipPartner, ServiceArea

ATTENTION = [
    ("overdue", "Review or progress report overdue"),
    ("gaps", "Governance gaps"),
    ("significant", "Significant partnerships"),
]
# Each reads an annotation the register's listing adds (annotate_due, annotate_governance_gaps,
# annotate_significant), so the choice costs no extra query.
ATTENTION_CONDITIONS = {
    "overdue": Q(review_overdue=True) | Q(report_overdue=True),
    "gaps": Q(has_governance_gap=True),
    "significant": Q(over_threshold=True),
}


class RegisterFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search",
        method="filter_search",
        max_length=200,
        widget=forms.TextInput(attrs={"class": "govuk-input", "type": "search", "aria-describedby": "id_q-hint"}),
    )
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[(s.value, s.label) for s in IN_FORCE_STATUSES],
        empty_label="Any",
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    service_area = django_filters.ModelChoiceFilter(
        label="Service area",
        queryset=ServiceArea.objects.all(),
        empty_label="Any",
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    attention = django_filters.ChoiceFilter(
        label="Show",
        choices=ATTENTION,
        empty_label="Everything",
        method="filter_attention",
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )

    def filter_search(self, queryset, name, value):
        # Staff search internal fields too (who leads what), so this is a database
        # query rather than the search index, which holds public fields only.
        for word in value.split():
            partner = PartnershipPartner.objects.filter(partnership=OuterRef("pk"), organisation__name__icontains=word)
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(reference__iexact=word)
                | Q(purpose__icontains=word)
                | Q(lead_officer__first_name__icontains=word)
                | Q(lead_officer__last_name__icontains=word)
                | Q(service_area__name__icontains=word)
                | Exists(partner)
            )
        return queryset

    def filter_attention(self, queryset, name, value):
        return queryset.filter(ATTENTION_CONDITIONS[value])
