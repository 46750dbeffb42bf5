"""The import, all or nothing: every bad row reported with its row and column; good files saved as drafts."""

import datetime
from decimal import Decimal

import pytest
from wagtail.models import ModelLogEntry, ReferenceIndex, Revision

from partnerships.importing.columns import COLUMNS
from partnerships.importing.indexing import index_entries
from partnerships.importing.service import check_file, import_file
from partnerships.importing.writing import register_csv
from partnerships.models import PartnerOrganisation, Partnership, PartnershipPartner, Status
from partnerships.public.fields import public_entries, public_record
from tests.partnerships.factories import (
    GOOD_ROW,
    CouncilPriorityFactory,
    PartnershipFactory,
    UserFactory,
    csv_bytes,
    row,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


def partnership_revisions():
    return Revision.objects.filter(base_content_type__model="partnership").count()


def saved_state():
    return Partnership.objects.count(), partnership_revisions(), PartnerOrganisation.objects.count()


def refused(data, filename="register.csv", **kwargs):
    """Import ``data``, expecting it refused and nothing saved; returns the problems as the command prints them."""
    before = saved_state()
    plan, result = import_file(data, filename, **kwargs)
    assert result is None
    assert not plan.is_valid
    assert saved_state() == before
    return [str(problem) for problem in plan.problems]


# --- Bad input: a clear message naming row and column, and nothing saved ------------------------------


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (
            {"Start date": "31/02/2024"},
            'row 3, column "Start date": "31/02/2024" is not a real date (use dd/mm/yyyy)',
        ),
        (
            {"Annual council contribution (£)": "30k"},
            'row 3, column "Annual council contribution (£)": "30k" is not clear: write the amount in full '
            "(write it like £30,000 or 30000.50)",
        ),
        (
            {"External funding (£ a year)": "lots"},
            'row 3, column "External funding (£ a year)": "lots" is not an amount of money '
            "(write it like £30,000 or 30000.50)",
        ),
        ({"Level": "Tactical"}, 'row 3, column "Level": "Tactical" is not one of: Strategic, Operational'),
        (
            {"Lead officer": "nobody@council.example"},
            'row 3, column "Lead officer": "nobody@council.example" is not anyone with a portal account '
            "(give their full name or email address)",
        ),
        (
            {"Service area": "Leisure"},
            'row 3, column "Service area": "Leisure" is not a service area in the register '
            "(add it under Partnerships › Service areas first)",
        ),
        (
            {"Council priorities": "Safer communities; World peace"},
            'row 3, column "Council priorities": "World peace" is not a council priority in the register',
        ),
        (
            {"Accountable body for funds": "Sometimes"},
            'row 3, column "Accountable body for funds": "Sometimes" is not Yes or No',
        ),
        ({"Name": ""}, 'row 3, column "Name": must be filled in'),
        (
            {"Start date": "01/04/2024", "End date": "31/03/2024"},
            'row 3, column "End date": The end date cannot be before the start date.',
        ),
        (
            {"Equality impact assessment": "Not needed"},
            'row 3, column "Equality impact reason": Say why an equality impact assessment is not needed.',
        ),
        ({"Name": "x" * 300}, 'row 3, column "Name": Ensure this value has at most 255 characters (it has 300).'),
        (
            {"Reference": "P-9999"},
            'row 3, column "Reference": "P-9999" is not in the register; leave Reference empty to add a new entry',
        ),
        (
            {"Reference": "42"},
            'row 3, column "Reference": "42" is not a register reference (they look like P-0042)',
        ),
    ],
)
def test_a_bad_cell_is_reported_by_row_and_column_and_nothing_is_saved(reference_data, cells, message):
    data = csv_bytes(
        [row(), row(**cells)], headers=list(GOOD_ROW) + ["Reference", "End date", "Equality impact reason"]
    )
    assert refused(data) == [message]


def test_an_ambiguous_officer_name_is_reported(reference_data):
    UserFactory(username="jsmith2", first_name="Jane", last_name="Smith", email="j.smith2@council.example")
    problems = refused(csv_bytes([row(**{"Lead officer": "jane smith"})]))
    assert problems == [
        'row 2, column "Lead officer": "jane smith" matches 2 people (j.smith2@council.example, '
        "jane.smith@council.example); give their email address instead"
    ]


def test_an_officer_is_found_by_name_or_email_in_any_case(reference_data):
    for who in ("Jane Smith", " jane  SMITH ", "JANE.SMITH@council.example", "jsmith"):
        plan = check_file(csv_bytes([row(**{"Lead officer": who})]))
        assert plan.is_valid, who


def test_a_deactivated_officer_is_reported(reference_data):
    UserFactory(username="gone", first_name="Old", last_name="Timer", email="old@council.example", is_active=False)
    assert refused(csv_bytes([row(**{"Lead officer": "Old Timer"})])) == [
        'row 2, column "Lead officer": "Old Timer" is a portal account that has been deactivated'
    ]


def test_a_reference_twice_in_one_file_is_reported(reference_data):
    entry = PartnershipFactory(draft=True)
    data = csv_bytes([row(Reference=entry.reference), row(Reference=entry.reference.lower())])
    assert refused(data) == [
        f'row 3, column "Reference": "{entry.reference.lower()}" is also on row 2; '
        "each entry can appear only once in a file"
    ]


def test_unknown_partners_are_listed_and_not_created(reference_data):
    data = csv_bytes([row(Partners="Anytown Police; Acme Ltd"), row(Partners="acme ltd; Zed Trust")])
    plan, result = import_file(data, "register.csv")
    assert result is None
    assert plan.unknown_partners == ["Acme Ltd", "Zed Trust"]
    assert [str(problem) for problem in plan.problems] == [
        'row 2, column "Partners": "Acme Ltd" is not a partner organisation in the register (add it first, '
        "or choose to create partner organisations that don't exist yet)",
        'row 3, column "Partners": "acme ltd" is not a partner organisation in the register (add it first, '
        "or choose to create partner organisations that don't exist yet)",
        'row 3, column "Partners": "Zed Trust" is not a partner organisation in the register (add it first, '
        "or choose to create partner organisations that don't exist yet)",
    ]


def test_three_bad_rows_among_ten_are_all_reported(reference_data):
    rows = [row(Name=f"Partnership {n}") for n in range(10)]
    rows[2]["Start date"] = "31/02/2024"
    rows[5]["Level"] = "Cosmic"
    rows[8]["Lead officer"] = "Nobody Known"
    rows[8]["Annual council contribution (£)"] = "£3,00"
    problems = refused(csv_bytes(rows))
    assert [problem.split(":")[0] for problem in problems] == [
        'row 4, column "Start date"',
        'row 7, column "Level"',
        'row 10, column "Lead officer"',
        'row 10, column "Annual council contribution (£)"',
    ]


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "register.csv", "The file is empty."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "register.csv", "The file is a PNG image, not a spreadsheet"),
        (b"Name,Purpose\n\x81\x8d\x8f", "register.csv", "could not be read as UTF-8 or Windows-1252 text"),
        (b"not a workbook", "register.xlsx", "The file is named .xlsx but is not an Excel workbook"),
    ],
)
def test_unreadable_files_save_nothing(reference_data, data, filename, message):
    (problem,) = refused(data, filename)
    assert message in problem


def test_a_missing_required_column_saves_nothing(reference_data):
    data = csv_bytes([{key: value for key, value in row().items() if key != "Service area"}])
    assert refused(data) == ['The file has no "Service area" column, which is required.']


def test_a_file_over_the_row_limit_saves_nothing(reference_data):
    data = csv_bytes([row(Name=f"Partnership {n}") for n in range(10_001)])
    (problem,) = refused(data)
    assert problem.startswith("The file has more than 10,000 rows of entries")


def test_a_locked_entry_is_not_changed(reference_data, manager):
    other = UserFactory()
    entry = PartnershipFactory(draft=True, locked=True, locked_by=other)
    problems = refused(csv_bytes([row(Reference=entry.reference)]), user=manager)
    assert problems == [
        f'row 2, column "Reference": "{entry.reference}" is locked by {other.get_full_name()}; '
        "unlock it before importing changes"
    ]


# --- Good input ---------------------------------------------------------------------------------------


def imported(data, filename="register.csv", **kwargs):
    plan, result = import_file(data, filename, **kwargs)
    assert plan.is_valid, [str(problem) for problem in plan.problems]
    return result


def test_a_new_row_becomes_a_draft_with_a_revision_by_the_importer(
    reference_data, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = imported(csv_bytes([row()]), user=manager)
    (entry,) = Partnership.objects.all()
    assert [(pk, reference) for pk, reference, _ in result.created] == [(entry.pk, entry.reference)]
    assert entry.reference.startswith("P-")
    assert entry.slug == "community-safety-partnership"
    assert not entry.live
    assert entry.has_unpublished_changes
    assert entry.status == Status.PROPOSED
    assert not public_entries().filter(pk=entry.pk).exists()
    assert entry.level == "strategic" and entry.basis == "statutory" and entry.membership == "multi"
    assert entry.council_role == "lead"
    assert entry.lead_officer == reference_data["officer"]
    assert entry.head_of_service == reference_data["head"]  # taken from the service area
    assert entry.annual_contribution == Decimal("30000.00")
    assert entry.external_funding == Decimal("12500.50")
    assert entry.in_kind_hours == Decimal("120.0")
    assert entry.start_date == datetime.date(2024, 4, 1)
    assert entry.next_review_due == datetime.date(2025, 3, 31)
    assert [link.organisation.name for link in entry.partners.all()] == [
        "Anytown Police",
        "Anytown Fire and Rescue Service",
    ]
    assert list(entry.council_priorities.all()) == [reference_data["priority"]]

    revision = entry.latest_revision
    assert revision.user == manager
    assert entry.revisions.count() == 1
    restored = revision.as_object()
    assert restored.name == "Community Safety Partnership"
    assert [link.organisation_id for link in restored.partners.all()] == [
        reference_data["police"].pk,
        reference_data["fire"].pk,
    ]
    log = ModelLogEntry.objects.get(object_id=str(entry.pk))
    assert (log.action, log.user, log.revision) == ("wagtail.create", manager, revision)
    # Once the import commits, found by the admin's search and counted as a use of its service area,
    # as an entry saved in the editor would be.
    assert list(Partnership.objects.search("Community Safety")) == [entry]
    assert ReferenceIndex.get_references_to(reference_data["area"]).filter(object_id=str(entry.pk)).exists()
    assert ReferenceIndex.get_references_to(reference_data["police"]).filter(object_id=str(entry.pk)).exists()


def test_indexing_after_the_import_matches_what_saving_does_and_can_run_twice(reference_data):
    imported(csv_bytes([row()]))
    entry = Partnership.objects.get()
    index_entries([entry.pk])
    index_entries([entry.pk])
    bulk = set(ReferenceIndex.objects.filter(object_id=str(entry.pk)).values_list("to_object_id", "model_path"))
    ReferenceIndex.objects.filter(object_id=str(entry.pk)).delete()
    ReferenceIndex.create_or_update_for_object(entry)
    one_by_one = set(ReferenceIndex.objects.filter(object_id=str(entry.pk)).values_list("to_object_id", "model_path"))
    assert bulk == one_by_one
    assert len(bulk) >= 5  # service area, two partners, a priority, people
    assert list(Partnership.objects.search("Community Safety")) == [entry]


def test_a_bulk_created_revision_matches_what_save_revision_writes(reference_data, manager):
    imported(csv_bytes([row()]), user=manager)
    entry = Partnership.objects.get()
    bulk = Revision.objects.get(pk=entry.latest_revision_id).content
    entry.save_revision(user=manager)
    ordinary = Revision.objects.get(pk=entry.latest_revision_id).content
    volatile = {"has_unpublished_changes", "latest_revision"}
    assert {k: v for k, v in bulk.items() if k not in volatile} == {
        k: v for k, v in ordinary.items() if k not in volatile
    }


def test_a_status_can_be_given_but_the_entry_is_still_a_draft(reference_data):
    imported(csv_bytes([row(Status="active")]))
    entry = Partnership.objects.get()
    assert (entry.status, entry.live) == (Status.ACTIVE, False)
    assert not public_entries().exists()


def test_csv_with_a_byte_order_mark(reference_data):
    imported(csv_bytes([row()], encoding="utf-8-sig"))
    assert Partnership.objects.get().annual_contribution == Decimal("30000.00")


def test_csv_in_windows_1252_with_pounds_and_curly_quotes(reference_data):
    data = csv_bytes([row(**{"Purpose and aims": "To spend £5,000 on “safer” streets – the council’s aim"})], "cp1252")
    assert b"\xa3" in data and b"\x93" in data
    plan, result = import_file(data, "register.csv")
    assert plan.encoding == "Windows-1252"
    assert Partnership.objects.get().purpose == "To spend £5,000 on “safer” streets – the council’s aim"


def test_xlsx_with_real_dates_and_numbers(reference_data):
    cells = row(
        **{
            "Start date": datetime.datetime(2024, 4, 1),
            "Next annual review due": datetime.date(2025, 3, 31),
            "Annual council contribution (£)": 30000,
            "External funding (£ a year)": 12500.5,
            "In-kind officer time (hours a year)": 37.5,
            "Accountable body for funds": True,
        }
    )
    imported(xlsx_bytes([cells]), "register.xlsx")
    entry = Partnership.objects.get()
    assert entry.start_date == datetime.date(2024, 4, 1)
    assert entry.next_review_due == datetime.date(2025, 3, 31)
    assert entry.annual_contribution == Decimal("30000.00")
    assert entry.external_funding == Decimal("12500.50")
    assert entry.in_kind_hours == Decimal("37.5")
    assert entry.accountable_body_for_funds is True


def test_an_unknown_column_is_a_warning_not_a_failure(reference_data):
    plan, result = import_file(csv_bytes([{**row(), "Notes": "ignore me"}]), "register.csv")
    assert result is not None
    assert plan.warnings == ['Column "Notes" is not one the import knows; it was ignored.']


def test_partners_can_be_created_when_asked(reference_data, manager):
    result = imported(
        csv_bytes([row(Partners="Anytown Police; Acme Ltd"), row(Partners="ACME LTD")]), create_partners=True
    )
    acme = PartnerOrganisation.objects.get(name="Acme Ltd")
    assert acme.sector == "other"
    assert result.partners_created == ["Acme Ltd"]
    assert [
        list(e.partners.values_list("organisation__name", flat=True)) for e in Partnership.objects.order_by("pk")
    ] == [
        ["Anytown Police", "Acme Ltd"],
        ["Acme Ltd"],
    ]


def test_a_dry_run_saves_nothing_and_says_what_would_happen(reference_data):
    draft = PartnershipFactory(draft=True, name="Old name")
    plan = check_file(csv_bytes([row(), row(Reference=draft.reference)]))
    assert plan.counts == {"create": 1, "update": 1, "unchanged": 0}
    update = plan.rows[1]
    assert (update.reference, update.action) == (draft.reference, "update")
    assert "Name" in update.changes and "Partners" in update.changes


# --- Updates by reference -----------------------------------------------------------------------------


def test_a_draft_entry_is_updated_by_reference_with_a_new_revision(reference_data, manager):
    draft = PartnershipFactory(draft=True, name="Old name", lead_officer=reference_data["officer"])
    result = imported(csv_bytes([row(Reference=draft.reference, Name="New name")]), user=manager)
    assert [reference for _, reference, _ in result.updated] == [draft.reference]
    draft.refresh_from_db()
    assert draft.name == "New name"
    assert draft.service_area == reference_data["area"]
    assert not draft.live
    assert draft.revisions.count() == 1
    assert draft.latest_revision.user == manager
    assert Partnership.objects.count() == 1


def test_a_live_entry_gets_a_revision_and_the_public_register_keeps_the_published_version(reference_data, manager):
    live = PartnershipFactory(name="Published name", purpose="Published purpose")
    imported(csv_bytes([row(Reference=live.reference, Name="Unapproved name", Status="Active")]), user=manager)
    live.refresh_from_db()
    assert live.name == "Published name"
    assert live.has_unpublished_changes
    assert public_record(public_entries().get(pk=live.pk))["name"] == "Published name"
    assert public_record(public_entries().get(pk=live.pk))["purpose"] == "Published purpose"
    draft = live.latest_revision.as_object()
    assert draft.name == "Unapproved name"
    assert draft.purpose == GOOD_ROW["Purpose and aims"]
    assert [link.organisation.name for link in draft.partners.all()] == [
        "Anytown Police",
        "Anytown Fire and Rescue Service",
    ]
    # Approving the revision is what publishes it.
    live.latest_revision.publish(user=manager)
    assert public_record(public_entries().get(pk=live.pk))["name"] == "Unapproved name"


def test_only_the_columns_in_the_file_are_changed(reference_data):
    draft = PartnershipFactory(draft=True, exit_strategy="Keep this", risk_rating="high")
    columns = ["Reference", *[c.header for c in COLUMNS if c.required], "Overall risk rating"]
    imported(csv_bytes([row(Reference=draft.reference, **{"Overall risk rating": "low"})], headers=columns))
    draft.refresh_from_db()
    assert (draft.risk_rating, draft.exit_strategy) == ("low", "Keep this")


def test_an_update_keeps_the_partners_roles(reference_data):
    draft = PartnershipFactory(draft=True)
    PartnershipPartner.objects.create(partnership=draft, organisation=reference_data["police"], role="Chair")
    imported(csv_bytes([row(Reference=draft.reference, Name="Renamed")]))
    links = PartnershipPartner.objects.filter(partnership=draft).order_by("sort_order")
    assert [(link.organisation.name, link.role) for link in links] == [
        ("Anytown Police", "Chair"),
        ("Anytown Fire and Rescue Service", ""),
    ]


def test_a_retired_priority_stays_on_an_entry_that_has_it_but_is_refused_for_others(reference_data):
    retired = CouncilPriorityFactory(name="Old priority", active=False)
    draft = PartnershipFactory(draft=True)
    draft.council_priorities.add(retired)
    draft.save()
    assert check_file(csv_bytes([row(Reference=draft.reference, **{"Council priorities": "Old priority"})])).is_valid
    assert refused(csv_bytes([row(**{"Council priorities": "Old priority"})])) == [
        'row 2, column "Council priorities": "Old priority" is a retired council priority; new entries cannot take it'
    ]


def test_an_entry_waiting_for_approval_is_not_changed(reference_data, manager):
    from wagtail.models import Workflow, WorkflowState

    entry = PartnershipFactory(draft=True)
    WorkflowState.objects.create(
        content_object=entry,
        content_type=entry.get_base_content_type(),
        base_content_type=entry.get_base_content_type(),
        workflow=Workflow.objects.create(name="Import test workflow"),
        status=WorkflowState.STATUS_IN_PROGRESS,
        requested_by=manager,
    )
    assert refused(csv_bytes([row(Reference=entry.reference)]), user=manager) == [
        f'row 2, column "Reference": "{entry.reference}" is waiting for approval in a workflow; '
        "the import cannot change it until that finishes"
    ]
    # A row that changes nothing is no reason to refuse the file.
    plan = check_file(register_csv(), user=manager)
    assert plan.is_valid
    assert plan.counts == {"create": 0, "update": 0, "unchanged": 1}


def test_changing_the_status_of_a_published_entry_is_pointed_out(reference_data):
    live = PartnershipFactory(name="Published")
    plan = check_file(csv_bytes([row(Reference=live.reference, Status="Closed")]))
    assert plan.is_valid
    assert plan.warnings == [
        f'Row 2: {live.reference} is published; its status changes from "Active" to "Closed" once the change '
        "is approved."
    ]
