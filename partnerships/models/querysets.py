"""The register's questions asked in SQL, so lists filter and count without loading rows."""

from django.db import models
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, Subquery
from django.utils import timezone
from wagtail.search.queryset import SearchableQuerySetMixin

from .approval import NotApprovedError
from .choices import IN_FORCE_STATUSES, PUBLIC_STATUSES, TermsOfReferenceStatus
from .proposal import BUSINESS_CASE_TEXT_FIELDS
from .records import RiskRegisterEntry
from .reviews import ProgressReport
from .settings import RegisterSettings

# An entry the public may see. The register's partial indexes are built on it too.
PUBLIC_ENTRY = Q(live=True, is_public=True, status__in=PUBLIC_STATUSES)


def _flag(condition):
    return ExpressionWrapper(condition, output_field=BooleanField())


def overdue(field, on):
    """An entry whose date ``field`` fell before ``on``, while the council is in the partnership.

    A proposal or an ended partnership owes no report or review, whatever its dates say.
    """
    return Q(status__in=IN_FORCE_STATUSES, **{f"{field}__lt": on})


def is_overdue(status, due, on):
    """``overdue`` for an entry already loaded: its ``status`` and one of its dates."""
    return status in IN_FORCE_STATUSES and due is not None and due < on


def significant(threshold):
    """A significant partnership: the council puts in more a year than the register's threshold."""
    return Q(annual_contribution__gt=threshold)


def is_significant(annual_contribution, threshold):
    """``significant`` for an entry already loaded."""
    return annual_contribution > threshold


def _risk_assessed():
    return Exists(RiskRegisterEntry.objects.filter(partnership=OuterRef("pk")))


# The gaps the governance report lists: annotation name → what is missing.
GOVERNANCE_GAPS = {
    "gap_terms_of_reference": "Terms of reference not agreed",
    "gap_business_case": "No business case",
    "gap_risk_assessment": "No risk assessment",
    "gap_equality_impact": "No equality impact answer",
}


def business_case_missing():
    """Neither an uploaded business case nor a written one (the proposal form's text, every part given)."""
    text_incomplete = Q()
    for name in BUSINESS_CASE_TEXT_FIELDS:
        text_incomplete |= Q(**{f"{name}__regex": r"^\s*$"})
    return Q(business_case__isnull=True) & text_incomplete


def governance_gap_expressions():
    return {
        "gap_terms_of_reference": _flag(~Q(terms_of_reference_status=TermsOfReferenceStatus.AGREED)),
        "gap_business_case": _flag(business_case_missing()),
        "gap_risk_assessment": _flag(~_risk_assessed()),
        "gap_equality_impact": _flag(Q(equality_impact="")),
    }


class PartnershipQuerySet(SearchableQuerySetMixin, models.QuerySet):
    # Bulk writes skip Partnership.save(), so they keep its rule here: no row becomes
    # live without an approval record (see models.approval).
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        if any(obj.live for obj in objs):
            raise NotApprovedError(next(obj for obj in objs if obj.live))
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        if "live" in fields:
            self.filter(pk__in=[obj.pk for obj in objs if obj.live])._refuse_unapproved()
        return super().bulk_update(objs, fields, *args, **kwargs)

    def update(self, **kwargs):
        if kwargs.get("live") not in (None, False):
            self._refuse_unapproved()
        return super().update(**kwargs)

    def _refuse_unapproved(self):
        unapproved = self.filter(approval_record__isnull=True).first()
        if unapproved is not None:
            raise NotApprovedError(unapproved)

    def public(self):
        """Entries the public may see.

        The row of a DraftStateMixin model holds the *published* version: Wagtail's
        edit view saves a live object's later edits only into a new revision (and
        sets ``has_unpublished_changes``) until that revision is published. So
        filtering rows is enough to keep unapproved edits off the public site.
        """
        return self.filter(PUBLIC_ENTRY)

    def in_force(self):
        """Partnerships the council is in now, whether or not they are published."""
        return self.filter(status__in=IN_FORCE_STATUSES)

    def for_lead_officer(self, user):
        return self.filter(lead_officer=user) if user.is_authenticated else self.none()

    def annotate_significant(self, threshold=None):
        if threshold is None:
            threshold = RegisterSettings.load().significant_threshold
        return self.annotate(over_threshold=_flag(significant(threshold)))

    def significant(self, threshold=None):
        return self.annotate_significant(threshold).filter(over_threshold=True)

    def not_significant(self, threshold=None):
        return self.annotate_significant(threshold).filter(over_threshold=False)

    def overdue(self, field, on=None):
        return self.filter(overdue(field, on or timezone.localdate()))

    def overdue_review(self, on=None):
        return self.overdue("next_review_due", on)

    def overdue_progress_report(self, on=None):
        return self.overdue("next_progress_report_due", on)

    def annotate_due(self, on=None):
        """Flags a list can show beside each due date without comparing dates in templates."""
        on = on or timezone.localdate()
        return self.annotate(
            review_overdue=_flag(overdue("next_review_due", on)),
            report_overdue=_flag(overdue("next_progress_report_due", on)),
        )

    def with_latest_report(self, submitted_before=None):
        """Each entry's latest progress report, as ``latest_*`` annotations, in the same query.

        ``submitted_before`` reads the register as it stood then: reports submitted
        later are left out.
        """
        latest = ProgressReport.objects.filter(partnership=OuterRef("pk"))
        if submitted_before is not None:
            latest = latest.filter(submitted_at__lt=submitted_before)
        latest = latest.latest_first().annotate_goes_to_cabinet()
        return self.annotate(
            latest_report_id=Subquery(latest.values("pk")[:1]),
            latest_rating=Subquery(latest.values("rating")[:1]),
            latest_sufficient=Subquery(latest.values("sufficient_progress")[:1]),
            latest_submitted=Subquery(latest.values("submitted_at")[:1]),
            latest_goes_to_cabinet=Subquery(latest.values("goes_to_cabinet")[:1]),
        )

    def annotate_governance_gaps(self):
        expressions = governance_gap_expressions()
        any_gap = Q()
        for name in expressions:
            any_gap |= Q(**{name: True})
        return self.annotate(**expressions).annotate(has_governance_gap=_flag(any_gap))

    def missing_governance_documents(self):
        return self.annotate_governance_gaps().filter(has_governance_gap=True)

    def complete_governance(self):
        return self.annotate_governance_gaps().filter(has_governance_gap=False)

    def with_people(self):
        """What a listing of entries shows beside each name, in the same query."""
        return self.select_related("lead_officer", "head_of_service", "service_area")
