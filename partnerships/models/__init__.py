from .choices import (
    IN_FORCE_STATUSES,
    PUBLIC_STATUSES,
    Basis,
    CouncilRole,
    EqualityImpact,
    Geography,
    LegalStatus,
    Level,
    Membership,
    RiskKind,
    RiskRating,
    Sector,
    Status,
    TermsOfReferenceStatus,
)
from .partnership import Partnership
from .querysets import GOVERNANCE_GAPS, PartnershipQuerySet
from .records import ActivitySummary, CouncilRepresentative, MeetingNote, PartnershipPartner, RiskRegisterEntry
from .reference_data import CouncilPriority, PartnerOrganisation, ServiceArea
from .references import ReferenceCounter, allocate_reference, format_reference, reserve_reference
from .settings import RegisterSettings

__all__ = [
    "IN_FORCE_STATUSES",
    "GOVERNANCE_GAPS",
    "PUBLIC_STATUSES",
    "ActivitySummary",
    "Basis",
    "CouncilPriority",
    "CouncilRepresentative",
    "CouncilRole",
    "EqualityImpact",
    "Geography",
    "LegalStatus",
    "Level",
    "MeetingNote",
    "Membership",
    "PartnerOrganisation",
    "Partnership",
    "PartnershipPartner",
    "PartnershipQuerySet",
    "ReferenceCounter",
    "RegisterSettings",
    "RiskKind",
    "RiskRating",
    "RiskRegisterEntry",
    "Sector",
    "ServiceArea",
    "Status",
    "TermsOfReferenceStatus",
    "allocate_reference",
    "format_reference",
    "reserve_reference",
]
