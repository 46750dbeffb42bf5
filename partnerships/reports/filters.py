"""The reports' filter forms, shown in the admin header's filter drawer."""

import django_filters
from wagtail.admin.filters import WagtailFilterSet

from partnerships.models import Partnership, ServiceArea


def _service_area():
    return django_filters.ModelChoiceFilter(queryset=ServiceArea.objects.all(), empty_label="All service areas")


class ServiceAreaFilterSet(WagtailFilterSet):
    service_area = _service_area()

    class Meta:
        model = Partnership
        fields = ["service_area"]


class YearRangeFilterSet(WagtailFilterSet):
    """The years to report on, offered from the years the register covers, and a service area.

    The year fields do not filter entries: the view reads them to choose its columns.
    """

    year_from = django_filters.ChoiceFilter(label="From year", method="keep")
    year_to = django_filters.ChoiceFilter(label="To year", method="keep")
    service_area = _service_area()

    class Meta:
        model = Partnership
        fields = ["year_from", "year_to", "service_area"]

    def __init__(self, *args, years=(), default_years=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(year, str(year)) for year in years]
        for name, default in (("year_from", default_years[:1]), ("year_to", default_years[-1:])):
            field = self.filters[name]
            field.extra["choices"] = choices
            field.extra["empty_label"] = f"Default ({default[0]})" if default else "Default"

    def keep(self, queryset, name, value):
        return queryset
