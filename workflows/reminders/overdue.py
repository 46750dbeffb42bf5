"""What is overdue on a day: for the weekly digest and the admin dashboard's overdue panel."""

from django.apps import apps
from django.db.models import Count, Exists, OuterRef, Subquery

from partnerships.models import Partnership, RiskRegisterEntry
from portal.models.pages import ReviewedPage
from workflows.reminders.rules import DIGEST_ITEMS_PER_KIND, ENTRY_DATE_KINDS, KINDS


def _late_risk_reviews(today):
    """The risks of the entry in the outer query whose review date fell before ``today``."""
    return RiskRegisterEntry.objects.filter(partnership=OuterRef("pk"), review_date__lt=today)


def overdue_querysets(today):
    """Partnerships in force with each kind overdue on ``today`` (due before it), by kind slug."""
    risk_overdue = _late_risk_reviews(today)
    querysets = {kind.slug: Partnership.objects.overdue(kind.field, today) for kind in ENTRY_DATE_KINDS}
    querysets["risk_review"] = Partnership.objects.in_force().filter(Exists(risk_overdue))
    return querysets


def overdue_pages(today):
    for model in apps.get_models():
        if issubclass(model, ReviewedPage):
            yield model, model.objects.live().filter(review_by__lt=today)


def overdue_items(today, limit=DIGEST_ITEMS_PER_KIND):
    """Sections of what is overdue: kind, count and the ``limit`` longest overdue, for the digest."""
    sections = []
    for slug, queryset in overdue_querysets(today).items():
        kind = KINDS[slug]
        date_field = kind.field or "risk_review_due"
        listing = queryset.with_people()
        if not kind.field:
            earliest = _late_risk_reviews(today)
            listing = listing.annotate(
                risk_review_due=Subquery(earliest.order_by("review_date").values("review_date")[:1])
            )
        rows = list(listing.order_by(date_field, "pk")[:limit])
        sections.append(
            {
                "kind": kind,
                "count": queryset.count() if len(rows) == limit else len(rows),
                "items": [
                    {
                        "name": f"{p.name} ({p.reference})",
                        "due": getattr(p, date_field),
                        "days_overdue": (today - getattr(p, date_field)).days,
                        "lead_officer": p.lead_officer_name(),
                        "service_area": p.service_area.name if p.service_area else "",
                    }
                    for p in rows
                ],
            }
        )
    pages = []
    for _model, queryset in overdue_pages(today):
        pages.extend(queryset.select_related("content_owner")[:limit])
    pages.sort(key=lambda page: (page.review_by, page.pk))
    sections.append(
        {
            "kind": KINDS["content_review"],
            "count": len(pages),
            "items": [
                {
                    "name": page.title,
                    "due": page.review_by,
                    "days_overdue": (today - page.review_by).days,
                    "lead_officer": page.content_owner.get_full_name() if page.content_owner else "",
                    "service_area": "",
                }
                for page in pages[:limit]
            ],
        }
    )
    return sections


def overdue_counts(today):
    """{kind slug: {service area name: count}} of overdue partnerships; one query per kind."""
    counts = {}
    for slug, queryset in overdue_querysets(today).items():
        rows = queryset.order_by().values("service_area__name").annotate(n=Count("pk", distinct=True))
        counts[slug] = {row["service_area__name"] or "No service area": row["n"] for row in rows}
    return counts
