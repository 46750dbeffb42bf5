from .approval import BACKFILL_PERMISSION, ApprovalRecord, NotApprovedError
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
    PublicContact,
    RiskKind,
    RiskRating,
    Sector,
    Status,
    TermsOfReferenceStatus,
)
from .imports import ImportColumnMapping, RegisterImport
from .partnership import Partnership
from .proposal import ChecklistAnswer, ScreeningAnswer
from .public_reports import PublicReport
from .querysets import GOVERNANCE_GAPS, PartnershipQuerySet
from .records import ActivitySummary, CouncilRepresentative, MeetingNote, PartnershipPartner, RiskRegisterEntry
from .reference_data import Area, CouncilPriority, PartnerOrganisation, ServiceArea
from .references import ReferenceCounter, allocate_reference, format_reference, reserve_reference
from .reviews import AnnualReview, AnnualReviewAnswer, ProgressReport, Rating, ReviewOutcome
from .settings import RegisterSettings

__all__ = [
    "IN_FORCE_STATUSES",
    "GOVERNANCE_GAPS",
    "PUBLIC_STATUSES",
    "ActivitySummary",
    "Area",
    "ApprovalRecord",
    "BACKFILL_PERMISSION",
    "NotApprovedError",
    "AnnualReview",
    "AnnualReviewAnswer",
    "Basis",
    "ChecklistAnswer",
    "CouncilPriority",
    "CouncilRepresentative",
    "CouncilRole",
    "EqualityImpact",
    "Geography",
    "ImportColumnMapping",
    "LegalStatus",
    "Level",
    "MeetingNote",
    "Membership",
    "PartnerOrganisation",
    "Partnership",
    "PartnershipPartner",
    "PartnershipQuerySet",
    "ProgressReport",
    "PublicContact",
    "PublicReport",
    "Rating",
    "ReferenceCounter",
    "RegisterImport",
    "RegisterSettings",
    "ReviewOutcome",
    "RiskKind",
    "RiskRating",
    "RiskRegisterEntry",
    "ScreeningAnswer",
    "Sector",
    "ServiceArea",
    "Status",
    "TermsOfReferenceStatus",
    "allocate_reference",
    "format_reference",
    "reserve_reference",
]

from partnerships.public.pages import RegisterPage  # noqa: E402, F401 - the public register page lives in partnerships/public/pages.py
