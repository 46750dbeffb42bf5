"""Every closed list the register uses, named as the seed documents name them."""

from django.db import models


class Status(models.TextChoices):
    """The lifecycle: proposed → awaiting approval → active → under review → exiting → closed."""

    PROPOSED = "proposed", "Proposed"
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
    ACTIVE = "active", "Active"
    UNDER_REVIEW = "under_review", "Under review"
    EXITING = "exiting", "Exiting"
    CLOSED = "closed", "Closed"
    REJECTED = "rejected", "Rejected"


# The register is public only for partnerships the council is actually in (Harborough 2.2).
PUBLIC_STATUSES = (Status.ACTIVE, Status.UNDER_REVIEW, Status.EXITING)
# Reviews and progress reports are chased only while the council is in the partnership.
IN_FORCE_STATUSES = PUBLIC_STATUSES


class Level(models.TextChoices):
    STRATEGIC = "strategic", "Strategic"
    OPERATIONAL = "operational", "Operational"


class Basis(models.TextChoices):
    STATUTORY = "statutory", "Statutory"
    VOLUNTARY = "voluntary", "Voluntary"


class Membership(models.TextChoices):
    SINGLE = "single", "Single organisation"
    MULTI = "multi", "Multi-organisation"


class Geography(models.TextChoices):
    """Ordered from widest to narrowest, as seed 000's Table 1 reports them."""

    NATIONAL = "national", "National"
    REGIONAL = "regional", "Regional"
    COUNTY = "county", "County"
    SUB_REGIONAL = "sub_regional", "Sub-regional"
    DISTRICT = "district", "District"
    SUB_DISTRICT = "sub_district", "Sub-district"


class CouncilRole(models.TextChoices):
    LEAD = "lead", "Lead partner"
    ACCOUNTABLE_BODY = "accountable_body", "Accountable body"
    ACTIVE_MEMBER = "active_member", "Active member"
    SUPPORTING = "supporting", "Supporting"
    FUNDER_ONLY = "funder_only", "Funder only"


class PublicContact(models.TextChoices):
    """Whom the public register names as the entry's contact: the council chooses per entry."""

    TEAM = "team", "The partnerships team's mailbox"
    LEAD_OFFICER = "lead_officer", "The lead officer's work email"


class LegalStatus(models.TextChoices):
    UNINCORPORATED = "unincorporated", "Unincorporated association"
    COMPANY_LIMITED_BY_GUARANTEE = "company_ltd_guarantee", "Company limited by guarantee"
    CHARITABLE_INCORPORATED = "cio", "Charitable incorporated organisation"
    STATUTORY_BODY = "statutory_body", "Statutory body"
    JOINT_COMMITTEE = "joint_committee", "Joint committee"
    AGREEMENT = "agreement", "Contractual or agreement-based"
    OTHER = "other", "Other"


class Sector(models.TextChoices):
    PUBLIC = "public", "Public"
    PRIVATE = "private", "Private"
    VOLUNTARY = "voluntary", "Voluntary and community"
    ACADEMIC = "academic", "Academic"
    HEALTH = "health", "Health"
    OTHER = "other", "Other"


class TermsOfReferenceStatus(models.TextChoices):
    AGREED = "agreed", "Agreed"
    DRAFT = "draft", "Draft"
    NONE = "none", "None"


class EqualityImpact(models.TextChoices):
    DONE = "done", "Done"
    PLANNED = "planned", "Planned"
    NOT_NEEDED = "not_needed", "Not needed"


class RiskRating(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    VERY_HIGH = "very_high", "Very high"


class RiskKind(models.TextChoices):
    RISK = "risk", "Risk"
    OPPORTUNITY = "opportunity", "Opportunity"


class Score(models.IntegerChoices):
    """Likelihood and impact, on the usual five-point council risk matrix."""

    VERY_LOW = 1, "1 – very low"
    LOW = 2, "2 – low"
    MEDIUM = 3, "3 – medium"
    HIGH = 4, "4 – high"
    VERY_HIGH = 5, "5 – very high"
