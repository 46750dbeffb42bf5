"""Check a register spreadsheet row by row, then apply it all or nothing.

``check_file`` reads and validates every row and says what would happen (the dry
run and the admin preview). ``import_file`` does the same inside one transaction
and, only when no row has a problem, applies the plan:

- a row whose Reference matches an entry updates that entry as Wagtail's editor
  would: a draft entry is saved and gets a new revision; a **live** entry gets only
  a new revision (its row, and so the public register, keep the published version
  until someone publishes or approves the change);
- a row without a Reference creates a new **draft** (``live=False``) with a first
  revision by the importing user;
- a row that would change nothing saves nothing (so exporting and re-importing the
  register adds no revisions).

How the plan is saved, and why new entries are written in batches: ``saving``.
"""

import contextlib
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.db.models import NOT_PROVIDED
from modelcluster.models import get_all_child_relations
from wagtail.admin.utils import get_user_display_name

from partnerships.models import PartnerOrganisation, Partnership, PartnershipPartner, Sector, Status

from . import parsing
from .columns import COLUMNS_BY_FIELD
from .comparing import Comparisons
from .lookups import Lookups, duplicate_key
from .parsing import CellError, cell_text, is_blank, name_key
from .plan import ImportPlan, PlannedRow, Problem
from .reader import FileProblem, read_table
from .saving import CREATE, DUPLICATE, UNCHANGED, UPDATE, ImportResult, apply_plan  # noqa: F401 - the API

PROGRESS_EVERY = 500

MODEL_FIELDS = {f.name for f in Partnership._meta.get_fields() if f.concrete}
# Checked by the lookups (relations) or given on save (reference, slug), not by full_clean.
NOT_CLEANED = {f.name for f in Partnership._meta.get_fields() if f.is_relation} | {"reference", "slug"}
DECIMAL_PLACES = {
    f.name: Decimal(1).scaleb(-f.decimal_places)
    for f in Partnership._meta.get_fields()
    if isinstance(f, models.DecimalField) and f.default is not NOT_PROVIDED
}
BOOLEAN_DEFAULTS = {
    "accountable_body_for_funds": Partnership._meta.get_field("accountable_body_for_funds").default,
    "is_public": Partnership._meta.get_field("is_public").default,
}


def _no_progress(stage, done, total):
    pass


# --- Entry points ----------------------------------------------------------------------------


def check_file(
    data, filename="", *, user=None, create_partners=False, progress=None, mapping=None, allow_duplicates=()
):
    """Read and validate a file; save nothing. Returns an ``ImportPlan``.

    ``mapping``: the council's own headings → fields (``reader.read_table``);
    ``allow_duplicates``: the row numbers to import even though the register has their entry.
    """
    try:
        table = read_table(data, filename, progress, mapping=mapping)
    except FileProblem as problem:
        return _file_problems(problem)
    return Planner(
        table, user=user, create_partners=create_partners, progress=progress, allow_duplicates=allow_duplicates
    ).plan()


def import_file(
    data,
    filename="",
    *,
    user=None,
    create_partners=False,
    progress=None,
    log_uuid=None,
    backfill=None,
    mapping=None,
    allow_duplicates=(),
):
    """Validate every row, then apply all of them or none. Returns ``(plan, result or None)``.

    ``backfill``: an ``Approval`` to record for the rows already in force (see ``saving.apply_plan``).
    """
    try:
        table = read_table(data, filename, progress, mapping=mapping)
    except FileProblem as problem:
        return _file_problems(problem), None
    with transaction.atomic():
        planner = Planner(
            table, user=user, create_partners=create_partners, progress=progress, allow_duplicates=allow_duplicates
        )
        plan = planner.plan()
        if not plan.is_valid:
            return plan, None
        return plan, apply_plan(plan, user=user, progress=progress, log_uuid=log_uuid, backfill=backfill)


def _file_problems(problem):
    return ImportPlan(
        problems=[Problem(None, "", "", message, quote_value=False) for message in problem.messages],
        headings=getattr(problem, "headings", None),
    )


# --- Checking --------------------------------------------------------------------------------


class Planner(Comparisons):
    def __init__(self, table, *, user=None, create_partners=False, progress=None, allow_duplicates=()):
        self.table = table
        self.allow_duplicates = frozenset(allow_duplicates)
        self.user = user
        self.create_partners = create_partners
        self.progress = progress or _no_progress
        self.choice_lookups = {
            column.field: parsing.choice_lookup(column.choices) for column in table.columns if column.choices
        }
        self.plan_ = ImportPlan(
            file_format=table.file_format, encoding=table.encoding, row_count=len(table.rows), headings=table.headings
        )
        self.plan_.warnings.extend(table.warnings)
        self.has_references = "reference" in table.fields
        # Only the fields the file sets need cleaning: the others keep values already valid.
        self.not_cleaned = NOT_CLEANED | (MODEL_FIELDS - table.fields)
        self.references_seen = {}
        self.new_names_seen = {}
        self.unknown_partners = {}

    def plan(self):
        references = []
        if self.has_references:
            for source in self.table.rows:
                with contextlib.suppress(CellError):
                    references.append(parsing.parse_reference(source.cells.get("reference")))
        self.lookups = Lookups(reference for reference in references if reference)
        total = len(self.table.rows)
        for done, source in enumerate(self.table.rows, start=1):
            self._plan_row(source)
            if done % PROGRESS_EVERY == 0 or done == total:
                self.progress("checking", done, total)
        self.plan_.unknown_partners = sorted(self.unknown_partners.values(), key=str.casefold)
        return self.plan_

    def _plan_row(self, source):
        number = source.number
        problems, values, failed = [], {}, set()

        def report(column, raw, error):
            problems.append(Problem(number, column.header, cell_text(raw), error.problem, error.quote_value))
            failed.add(column.field)

        entry = None
        if self.has_references:
            column = COLUMNS_BY_FIELD["reference"]
            raw = source.cells.get("reference")
            try:
                reference = parsing.parse_reference(raw)
                entry = self._entry_for(reference, number)
            except CellError as error:
                report(column, raw, error)

        for column in self.table.columns:
            if column.field == "reference":
                continue
            raw = source.cells.get(column.field)
            if column.required and is_blank(raw):
                report(column, raw, CellError("must be filled in", quote_value=False))
                continue
            try:
                values[column.field] = self._parse(column, raw, entry, report)
            except CellError as error:
                report(column, raw, error)

        if source.extra_cells:
            problems.append(
                Problem(
                    number,
                    "",
                    "",
                    "has more cells than the heading row has columns (is there a stray comma, or a cell "
                    "outside the table?)",
                    quote_value=False,
                )
            )

        if "reference" in failed:  # an update of an unknown entry, or a second row for one entry
            self.plan_.problems.extend(problems)
            return
        planned = self._update(entry, values, number, problems) if entry else self._create(values, number)
        if planned.entry is not None and planned.action in (CREATE, UPDATE):
            self._clean(planned.entry, source, failed, problems)
        if problems:
            self.plan_.problems.extend(problems)
        else:
            self.plan_.rows.append(planned)

    def _entry_for(self, reference, number):
        if not reference:
            return None
        if reference in self.references_seen:
            raise CellError(
                f"is also on row {self.references_seen[reference]}; each entry can appear only once in a file"
            )
        self.references_seen[reference] = number
        entry = self.lookups.entries.get(reference)
        if entry is None:
            raise CellError("is not in the register; leave Reference empty to add a new entry")
        return entry

    def _parse(self, column, raw, entry, report):
        kind = column.kind
        if kind == "text":
            return parsing.parse_text(raw)
        if kind == "choice":
            return parsing.parse_choice(raw, column.choices, self.choice_lookups[column.field])
        if kind == "date":
            return parsing.parse_date(raw)
        if kind in ("money", "hours"):
            parse = parsing.parse_money if kind == "money" else parsing.parse_hours
            return parse(raw, max_digits=Partnership._meta.get_field(column.field).max_digits)
        if kind == "yes_no":
            return parsing.parse_yes_no(raw, default=BOOLEAN_DEFAULTS[column.field])
        if kind == "officer":
            return None if is_blank(raw) else self.lookups.officer(parsing.parse_text(raw))
        if kind == "service_area":
            return None if is_blank(raw) else self.lookups.service_area(parsing.parse_text(raw))
        if kind == "organisations":
            return self._organisations(column, raw, report)
        if kind == "priorities":
            return self._priorities(column, raw, entry, report)
        raise AssertionError(f"no parser for {kind}")  # pragma: no cover

    def _organisations(self, column, raw, report):
        organisations = []
        for name in parsing.parse_names(raw):
            organisation = self.lookups.organisation(name) or self.plan_.new_partners.get(name_key(name))
            if organisation is None and self.create_partners:
                organisation = PartnerOrganisation(name=name, sector=Sector.OTHER)
                self.plan_.new_partners[name_key(name)] = organisation
            if organisation is None:
                self.unknown_partners.setdefault(name_key(name), name)
                report(
                    column,
                    name,
                    CellError(
                        "is not a partner organisation in the register (add it first, or choose to create "
                        "partner organisations that don't exist yet)"
                    ),
                )
                continue
            organisations.append(organisation)
        return organisations

    def _priorities(self, column, raw, entry, report):
        current = {priority.pk for priority in entry.council_priorities.all()} if entry else set()
        priorities = []
        for name in parsing.parse_names(raw):
            priority = self.lookups.priority(name)
            if priority is None:
                report(column, name, CellError("is not a council priority in the register"))
            elif not priority.active and priority.pk not in current:
                report(column, name, CellError("is a retired council priority; new entries cannot take it"))
            else:
                priorities.append(priority)
        return priorities

    # --- building entries ---

    def _create(self, values, number):
        entry = Partnership()
        for name, places in DECIMAL_PLACES.items():
            # As the database will hold it, so the first revision matches the row (0 → 0.00).
            setattr(entry, name, getattr(entry, name).quantize(places))
        for accessor in CHILD_RELATIONS:
            setattr(entry, accessor, [])
        entry.council_priorities = []
        self._assign(entry, values, new=True)
        planned = PlannedRow(row=number, action=CREATE, name=entry.name, entry=entry, status=entry.status)
        existing = self.lookups.entry_keys.get(duplicate_key(entry.name, entry.service_area_id))
        if existing and number not in self.allow_duplicates:
            # The same partnership, led by the same service: a second upload of a file must not double the register.
            planned.action, planned.duplicate_of = DUPLICATE, existing
            return planned
        name_warning = self._name_warning(entry.name, number)
        if name_warning:
            self.plan_.warnings.append(name_warning)
        return planned

    def _name_warning(self, name, number):
        key = name_key(name)
        if not key:
            return ""
        existing = self.lookups.entry_names.get(key)
        earlier = self.new_names_seen.setdefault(key, number)
        if existing:
            return (
                f'Row {number}: an entry called "{name}" is already in the register ({existing}). '
                f"If this row should update it, put {existing} in the Reference column."
            )
        if earlier != number:
            return f'Row {number}: row {earlier} also adds an entry called "{name}".'
        return ""

    def _update(self, entry, values, number, problems):
        current = self.lookups.latest_version(entry)
        changes = [COLUMNS_BY_FIELD[name].header for name in self._changed_fields(current, values)]
        planned = PlannedRow(
            row=number,
            action=UPDATE if changes else UNCHANGED,
            name=values.get("name") or current.name,
            reference=entry.reference,
            changes=changes,
            live=entry.live,
            status=values.get("status") or current.status,
        )
        if not changes:
            return planned
        if entry.live and values.get("status") and values["status"] != current.status:
            self.plan_.warnings.append(
                f"Row {number}: {entry.reference} is published; its status changes from "
                f'"{current.get_status_display()}" to "{Status(values["status"]).label}" once the change is approved.'
            )
        self._assign(current, values, new=False)
        planned.entry = current
        if entry.locked and (self.user is None or entry.locked_by_id != self.user.pk):
            who = get_user_display_name(entry.locked_by) or "another user"
            problems.append(
                Problem(number, "Reference", entry.reference, f"is locked by {who}; unlock it before importing changes")
            )
        if entry.pk in self.lookups.in_workflow:
            problems.append(
                Problem(
                    number,
                    "Reference",
                    entry.reference,
                    "is waiting for approval in a workflow; the import cannot change it until that finishes",
                )
            )
        return planned

    def _assign(self, entry, values, new):
        for name, value in values.items():
            kind = COLUMNS_BY_FIELD[name].kind
            if name == "status" and not value:
                if not new:
                    continue
                value = Status.PROPOSED
            if kind == "organisations":
                entry.partners = self._partner_links(entry, value, new)
            elif kind == "priorities":
                entry.council_priorities = value
            else:
                setattr(entry, name, value)
        if values.get("head_of_service") is None and (new or "head_of_service" in values):
            entry.head_of_service_id = self._default_head_of_service(values, None if new else entry)

    def _partner_links(self, entry, organisations, new):
        kept = {} if new else {link.organisation_id: link for link in entry.partners.all()}
        return [kept.get(org.pk) or PartnershipPartner(organisation=org) for org in organisations]

    def _clean(self, entry, source, failed, problems):
        try:
            entry.full_clean(exclude=self.not_cleaned | failed, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                if name in failed:
                    continue
                column = COLUMNS_BY_FIELD.get(name)
                header = column.header if column else ("" if name == NON_FIELD_ERRORS else name)
                value = cell_text(source.cells.get(name)) if column else ""
                problems.extend(
                    Problem(source.number, header, value, message, quote_value=False) for message in messages
                )


CHILD_RELATIONS = [relation.get_accessor_name() for relation in get_all_child_relations(Partnership)]
