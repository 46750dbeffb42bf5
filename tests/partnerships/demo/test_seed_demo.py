"""seed_demo: a plausible register, the same for the same seed, never doubled by --if-empty."""

import hashlib
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from wagtail.models import ModelLogEntry

from partnerships import demo
from partnerships.models import (
    IN_FORCE_STATUSES,
    PUBLIC_STATUSES,
    Area,
    Geography,
    MeetingNote,
    Partnership,
    RegisterSettings,
    ServiceArea,
    Status,
)
from partnerships.reports import queries

pytestmark = pytest.mark.django_db

N = 60


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the business-case documents are real files


def seed(n=N, seed=1, *extra):
    out = io.StringIO()
    call_command("seed_demo", "--partnerships", str(n), "--seed", str(seed), *extra, stdout=out)
    return out.getvalue()


def fingerprint():
    """What makes the register this register: names, references, money, dates, people, partners."""
    rows = []
    for p in (
        Partnership.objects.select_related("service_area", "lead_officer")
        .prefetch_related("partners__organisation", "risks", "meeting_notes")
        .order_by("reference")
    ):
        rows.append(
            [
                p.reference,
                p.slug,
                p.name,
                p.status,
                p.geography,
                p.council_role,
                str(p.annual_contribution),
                str(p.in_kind_value),
                str(p.external_funding),
                str(p.start_date),
                str(p.end_date),
                str(p.next_review_due),
                p.service_area.name,
                p.lead_officer.username,
                [link.organisation.name for link in p.partners.all()],
                [(r.description, r.likelihood, r.impact) for r in p.risks.all()],
                [str(m.date) for m in p.meeting_notes.all()],
                p.live,
            ]
        )
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest(), len(rows)


def seeded_then_rolled_back(n, seed_value):
    with transaction.atomic():
        seed(n, seed_value)
        result = fingerprint()
        transaction.set_rollback(True)
    return result


def test_the_plan_depends_on_the_seed_alone():
    assert demo.plan_register(N, 1) == demo.plan_register(N, 1)
    assert demo.plan_register(N, 1) != demo.plan_register(N, 2)


def test_same_seed_same_register_different_seed_different_register(portal_site):
    first = seeded_then_rolled_back(N, 1)
    again = seeded_then_rolled_back(N, 1)
    other = seeded_then_rolled_back(N, 2)
    assert first == again
    assert first[1] == N
    assert other != first


def test_if_empty_does_not_seed_a_register_twice(portal_site):
    assert "60 partnerships (P-0001–P-0060)" in seed()
    assert "nothing added" in seed(N, 1, "--if-empty")
    assert Partnership.objects.count() == N
    # Without --if-empty it adds beside what is there, with new references.
    seed(5, 9)
    assert Partnership.objects.count() == N + 5
    assert Partnership.objects.filter(reference="P-0065").exists()


def test_the_demo_register_is_plausible(portal_site):
    seed()
    entries = Partnership.objects.all()
    public = entries.public()
    drafts = entries.filter(live=False)
    assert public.count() >= N // 2
    assert drafts.exists() and set(drafts.values_list("status", flat=True)) <= {
        Status.PROPOSED,
        Status.AWAITING_APPROVAL,
        Status.REJECTED,
    }
    assert entries.filter(status=Status.CLOSED, end_date__isnull=False).exists()
    # Most contributions are small; a few are significant (above the £30,000 setting).
    threshold = RegisterSettings.load().significant_threshold
    significant = entries.significant(threshold).count()
    assert 0 < significant < N // 4
    assert entries.filter(annual_contribution__lt=threshold).count() > N // 2
    # Dates between 2001 and the reference date's year (proposals start soon after it).
    years = {p.start_date.year for p in entries}
    assert min(years) >= 2001 and max(years) <= demo.REFERENCE_DATE.year
    # Eight service areas, each with a Head of Service who cannot sign in.
    areas = ServiceArea.objects.select_related("head_of_service")
    assert areas.count() == 8
    assert all(area.head_of_service and not area.head_of_service.has_usable_password() for area in areas)
    # Children, money and governance vary.
    for relation in ("partners", "meeting_notes", "risks", "activity_summaries", "representatives"):
        assert entries.filter(**{f"{relation}__isnull": False}).exists(), relation
    gaps = queries.gap_counts(entries)
    assert 0 < gaps["any_gap"] < gaps["entries"]


def test_geography_mix_looks_like_table_1(portal_site):
    seed(400, 3)
    figures = queries.active_by_geography(Partnership.objects.all(), [2007])
    count = {row.key: row.values[0] for row in figures.rows}
    local = count[Geography.DISTRICT] + count[Geography.SUB_DISTRICT]
    assert local > count[Geography.COUNTY] > count[Geography.REGIONAL]
    assert count[Geography.COUNTY] > count[Geography.SUB_REGIONAL]


def test_published_entries_have_a_live_revision_and_history(portal_site):
    seed()
    for entry in Partnership.objects.public()[:5]:
        assert entry.live_revision_id == entry.latest_revision_id
        assert not entry.has_unpublished_changes
        restored = entry.latest_revision.as_object()
        assert restored.name == entry.name
        assert [p.organisation_id for p in restored.partners.all()] == list(
            entry.partners.values_list("organisation_id", flat=True)
        )
        actions = set(ModelLogEntry.objects.filter(object_id=str(entry.pk)).values_list("action", flat=True))
        # Published demo entries come in as the real register does: by a recorded back-fill.
        assert actions == {"wagtail.create", "partnerships.backfill", "wagtail.publish"}
        assert entry.approval_record.route == "backfill"
    draft = Partnership.objects.filter(live=False).first()
    assert draft.latest_revision_id and draft.live_revision_id is None and draft.has_unpublished_changes


def test_demo_accounts_are_used_when_present(portal_site):
    from portal import services

    services.create_demo_users(services.SetupReport())
    first = demo.plan_register(N, 1)
    seed()
    leads = set(Partnership.objects.values_list("lead_officer__username", flat=True))
    assert {"lead", "lead2"} & leads
    assert ServiceArea.objects.filter(head_of_service__username__in=["head", "head2"]).count() == 2
    # Generated officers sign in with nothing until an administrator sets a password.
    generated = get_user_model().objects.filter(username=first.officers[5].username).get()
    assert not generated.has_usable_password()
    assert generated.groups.filter(name="Lead officers").exists()


def test_the_seeded_register_is_searchable_and_opens_in_the_admin(portal_site, client, register_manager):
    from wagtail.search.backends import get_search_backend

    seed()
    entry = Partnership.objects.public().order_by("reference").first()
    word = entry.name.split()[-1]
    found = get_search_backend().search(word, Partnership.objects.all())
    assert entry in list(found)
    client.force_login(register_manager)
    for view in ("edit", "inspect", "history"):
        response = client.get(reverse(f"wagtailsnippets_partnerships_partnership:{view}", args=[entry.pk]))
        assert response.status_code == 200, view


def test_in_force_entries_are_the_public_ones_that_are_published(portal_site):
    seed()
    hidden = Partnership.objects.filter(status__in=IN_FORCE_STATUSES, is_public=False).count()
    assert (
        Partnership.objects.public().count() + hidden == Partnership.objects.filter(status__in=PUBLIC_STATUSES).count()
    )


def test_the_demo_register_covers_the_districts_places(portal_site, client):
    seed()
    bewdley = Area.objects.get(name="Bewdley")
    in_bewdley = Partnership.objects.public().filter(areas=bewdley)
    assert in_bewdley.exists()
    # A councillor for Bewdley picks the town on the public register and sees those partnerships.
    response = client.get("/partnerships/", {"area": bewdley.pk})
    assert response.context["count"] == in_bewdley.count()
    assert MeetingNote.objects.filter(publish_notes=True).exists()
    assert MeetingNote.objects.filter(publish_notes=False).exists()
