"""'Significant' = annual council contribution above the threshold kept in RegisterSettings."""

from decimal import Decimal

import pytest

from partnerships.models import Partnership, RegisterSettings
from tests.partnerships.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


def _at(amount):
    return PartnershipFactory(annual_contribution=Decimal(amount))


def test_default_threshold_is_thirty_thousand_pounds():
    assert RegisterSettings.load().significant_threshold == Decimal("30000")


@pytest.mark.parametrize(
    ("amount", "significant"),
    [("29999.99", False), ("30000", False), ("30000.01", True), ("250000", True), ("0", False)],
)
def test_below_at_and_above_the_threshold(amount, significant):
    # Carlisle: "resources in excess of £30,000", so exactly the threshold is not significant.
    assert _at(amount).is_significant is significant


def test_changing_the_setting_changes_the_answer():
    entry = _at("20000")
    assert not entry.is_significant
    settings = RegisterSettings.load()
    settings.significant_threshold = Decimal("10000")
    settings.save()
    assert Partnership.objects.get(pk=entry.pk).is_significant
    assert list(Partnership.objects.significant()) == [entry]


def test_sql_filter_agrees_with_the_property():
    entries = [_at(amount) for amount in ("0", "29999.99", "30000", "30000.01", "1000000")]
    significant = set(Partnership.objects.significant())
    not_significant = set(Partnership.objects.not_significant())
    assert significant | not_significant == set(entries)
    for entry in entries:
        fresh = Partnership.objects.get(pk=entry.pk)
        assert (fresh in significant) is fresh.is_significant


def test_annotated_rows_answer_without_another_query(django_assert_num_queries):
    _at("50000")
    _at("10")
    RegisterSettings.load()  # the first load creates the row; count the steady state
    with django_assert_num_queries(2):  # the setting, then the rows
        flags = [p.is_significant for p in Partnership.objects.annotate_significant().order_by("pk")]
    assert flags == [True, False]
