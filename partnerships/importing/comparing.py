"""How the import tells whether a row changes an entry: each cell against the entry's latest version."""

from . import parsing
from .columns import COLUMNS_BY_FIELD
from .parsing import name_key


class Comparisons:
    """For ``service.Planner``: needs ``self.lookups``."""

    def _changed_fields(self, current, values):
        changed = []
        for name, value in values.items():
            if name == "status" and not value:
                continue
            if self._current_value(current, name) != self._comparable(name, value, values, current):
                changed.append(name)
        return changed

    def _current_value(self, entry, name):
        kind = COLUMNS_BY_FIELD[name].kind
        if kind == "organisations":
            orgs = self.lookups.organisations_by_id
            return frozenset(
                name_key(orgs[link.organisation_id].name) if link.organisation_id in orgs else link.organisation_id
                for link in entry.partners.all()
            )
        if kind == "priorities":
            return frozenset(priority.pk for priority in entry.council_priorities.all())
        if kind in ("officer", "service_area"):
            return getattr(entry, f"{name}_id")
        value = getattr(entry, name)
        if kind == "text":
            return parsing.parse_text(value)
        if kind == "choice":
            return value or ""
        return value

    def _comparable(self, name, value, values, current):
        kind = COLUMNS_BY_FIELD[name].kind
        if kind == "organisations":
            return frozenset(name_key(organisation.name) for organisation in value)
        if kind == "priorities":
            return frozenset(priority.pk for priority in value)
        if name == "head_of_service" and value is None:
            return self._default_head_of_service(values, current)
        if kind in ("officer", "service_area"):
            return value.pk if value else None
        return value

    def _default_head_of_service(self, values, current):
        area = values.get("service_area")
        if area is None and current is not None and current.service_area_id:
            area = self.lookups.service_areas_by_id.get(current.service_area_id)
        return area.head_of_service_id if area else None
