"""The demonstration register's vocabulary, read from ``portal/content/demo/register.yaml``.

The YAML holds plain values; here they become the choices the models use, in the order
written, so the same seed draws the same register.
"""

from dataclasses import dataclass

from portal.content_loader import load_demo

from ..models import Basis, CouncilRole, Geography, LegalStatus, Level, RiskKind, Sector, Status


@dataclass(frozen=True)
class Kind:
    """A kind of partnership a district council joins, with what usually goes with it."""

    name: str
    area: int  # index into SERVICE_AREAS
    level: str
    basis: str
    geographies: tuple
    priorities: tuple  # indexes into PRIORITIES; the first is always chosen
    aim: str


def _kind(row):
    return Kind(
        row["name"],
        row["service_area"],
        Level(row["level"]),
        Basis(row["basis"]),
        tuple(Geography(value) for value in row["geographies"]),
        tuple(row["priorities"]),
        row["aim"],
    )


def _weights(choices, weights):
    return {choices(value): weight for value, weight in weights.items()}


_data = load_demo("register")

SERVICE_AREAS = _data["service_areas"]
PRIORITIES = [(row["name"], row["description"]) for row in _data["priorities"]]
KINDS = [_kind(row) for row in _data["kinds"]]
PLACES = {Geography(value): tuple(places) for value, places in _data["places"].items()}
GEOGRAPHY_WEIGHTS = _weights(Geography, _data["geography_weights"])
SUBGROUPS = tuple(_data["subgroups"])
STATUS_WEIGHTS = _weights(Status, _data["status_weights"])
ROLE_WEIGHTS = _weights(CouncilRole, _data["role_weights"])
RULES = {CouncilRole(value): text for value, text in _data["rules_of_engagement"].items()}
LEGAL_WEIGHTS = _weights(LegalStatus, _data["legal_weights"])
PARTNERS = [(row["name"], Sector(row["sector"])) for row in _data["partners"]]
PARTNER_ROLES = tuple(_data["partner_roles"])
FIRST_NAMES = _data["first_names"]
LAST_NAMES = _data["last_names"]
REPRESENTATIVE_ROLES = tuple(_data["representative_roles"])
MEETING_NOTES = tuple(_data["meeting_notes"])
SUMMARIES = tuple(_data["summaries"])
HIGHLIGHTS = tuple(_data["highlights"])
RISKS = tuple((RiskKind(row["kind"]), row["description"], row["mitigation"]) for row in _data["risks"])
PERFORMANCE = tuple(_data["performance"])
EXIT_STRATEGIES = tuple(_data["exit_strategies"])
EIA_REASONS = tuple(_data["eia_reasons"])
COUNCILLORS = tuple(_data["councillors"])
