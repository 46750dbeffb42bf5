"""Everything a spreadsheet names — people, service areas, priorities, partner bodies, entries —
fetched once into dictionaries, so checking 10,000 rows costs a handful of queries.

Names match trimmed, with inner spaces collapsed and any capitals (``parsing.name_key``).
Unknown and ambiguous names are reported, never guessed or silently created.
"""

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from wagtail.models import WorkflowState

from partnerships.models import CouncilPriority, PartnerOrganisation, Partnership, PartnershipPartner, ServiceArea

from .parsing import CellError, name_key

CHUNK = 500


def duplicate_key(name, service_area_id):
    """What makes two entries one partnership: the same name (trimmed, any capitals) led by the same service area."""
    return name_key(name), service_area_id


class Lookups:
    def __init__(self, references=()):
        self._load_people()
        areas = list(ServiceArea.objects.all())
        self.service_areas = {name_key(area.name): area for area in areas}
        self.service_areas_by_id = {area.pk: area for area in areas}
        self.priorities = {name_key(priority.name): priority for priority in CouncilPriority.objects.all()}
        self.organisations = {name_key(org.name): org for org in PartnerOrganisation.objects.all()}
        self.organisations_by_id = {org.pk: org for org in self.organisations.values()}
        self.entries = self._load_entries(references)
        names = list(Partnership.objects.values_list("name", "service_area_id", "reference"))
        self.entry_names = {name_key(name): reference for name, _, reference in names}
        self.entry_keys = {duplicate_key(name, area): reference for name, area, reference in names}
        self.in_workflow = self._in_workflow(entry.pk for entry in self.entries.values())

    # --- people ---

    def _load_people(self):
        self.by_email, self.by_name, self.by_username = defaultdict(list), defaultdict(list), defaultdict(list)
        self.inactive = set()
        fields = ("pk", "email", "first_name", "last_name", "username", "is_active")
        for user in get_user_model().objects.only(*fields):
            keys = [
                (self.by_email, name_key(user.email)),
                (self.by_name, name_key(user.get_full_name())),
                (self.by_username, name_key(user.get_username())),
            ]
            for index, key in keys:
                if not key:
                    continue
                if user.is_active:
                    index[key].append(user)
                else:
                    self.inactive.add(key)

    def officer(self, text):
        key = name_key(text)
        by_name = self.by_name.get(key) or self.by_username.get(key, [])
        matches = self.by_email.get(key, []) if "@" in key else by_name
        if len(matches) == 1:
            return matches[0]
        if matches:
            who = ", ".join(sorted(user.email or user.get_username() for user in matches))
            hint = "give their email address instead" if "@" not in key else "ask an administrator to correct them"
            raise CellError(f"matches {len(matches)} people ({who}); {hint}")
        if key in self.inactive:
            raise CellError("is a portal account that has been deactivated")
        raise CellError("is not anyone with a portal account (give their full name or email address)")

    # --- reference data ---

    def service_area(self, text):
        area = self.service_areas.get(name_key(text))
        if area is None:
            raise CellError("is not a service area in the register (add it under Partnerships › Service areas first)")
        return area

    def priority(self, name):
        return self.priorities.get(name_key(name))

    def organisation(self, name):
        return self.organisations.get(name_key(name))

    # --- entries ---

    def _load_entries(self, references):
        references = sorted(set(references))
        entries = {}
        partners = Prefetch("partners", queryset=PartnershipPartner.objects.order_by("sort_order", "pk"))
        for start in range(0, len(references), CHUNK):
            queryset = (
                Partnership.objects.filter(reference__in=references[start : start + CHUNK])
                .select_related("latest_revision", "locked_by")
                .prefetch_related(partners, "council_priorities")
            )
            entries.update({entry.reference: entry for entry in queryset})
        return entries

    def _in_workflow(self, pks):
        object_ids = [str(pk) for pk in pks]
        if not object_ids:
            return set()
        content_type = ContentType.objects.get_for_model(Partnership, for_concrete_model=False)
        unfinished = (WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES)
        found = set()
        for start in range(0, len(object_ids), CHUNK):
            found.update(
                WorkflowState.objects.filter(
                    base_content_type=content_type,
                    object_id__in=object_ids[start : start + CHUNK],
                    status__in=unfinished,
                ).values_list("object_id", flat=True)
            )
        return {int(object_id) for object_id in found}

    def latest_version(self, entry):
        """The entry as an editor would open it: with its unpublished changes, if it has any."""
        if entry.has_unpublished_changes and entry.latest_revision is not None:
            return entry.with_content_json(entry.latest_revision.content)
        return entry
