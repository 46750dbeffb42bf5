"""Cell parsers: one raw cell (text from a CSV, or a typed value from an XLSX) → a Python value.

Each parser raises ``CellError`` with a problem phrased to follow the quoted cell,
so that the report reads ``"31/02/2024" is not a real date (use dd/mm/yyyy)``.
Nothing here guesses: a value that could mean two things is refused with a message
saying how to write it.
"""

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from partnerships.models import Status
from partnerships.spreadsheet import FORMULA_STARTS

from .columns import normalise_heading


class CellError(ValueError):
    def __init__(self, problem, quote_value=True):
        super().__init__(problem)
        self.problem = problem
        self.quote_value = quote_value


def is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value):
    """How a cell is shown back to the person who wrote it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y %H:%M") if value.time() != datetime.time() else value.strftime("%d/%m/%Y")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_text(value):
    if is_blank(value):
        return ""
    text = cell_text(value)
    # Undo the apostrophe our exports put before a formula-like cell (partnerships.spreadsheet.neutralise).
    if text.startswith("'") and text[1:2] and text[1] in FORMULA_STARTS:
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


# --- Dates -------------------------------------------------------------------------------

DATE_HELP = "(use dd/mm/yyyy)"
UK_DATE = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{2}|\d{4})$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?$")
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100


def parse_date(value):
    if is_blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return _in_range(value.date())
    if isinstance(value, datetime.date):
        return _in_range(value)
    if isinstance(value, datetime.time):
        raise CellError(f"is a time, not a date {DATE_HELP}")
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        raise CellError(f"is a number, not a date {DATE_HELP}; format the cell as a date or type the date")
    text = str(value).strip()
    match = UK_DATE.match(text)
    if match:
        day, _, month, year = match.groups()
        if len(year) == 2:
            raise CellError(f"has a two-digit year; write the year in full {DATE_HELP}")
        return _real_date(int(year), int(month), int(day))
    match = ISO_DATE.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
        return _real_date(year, month, day)
    raise CellError(f"is not a date {DATE_HELP}")


def _real_date(year, month, day):
    try:
        result = datetime.date(year, month, day)
    except ValueError:
        raise CellError(f"is not a real date {DATE_HELP}") from None
    return _in_range(result)


def _in_range(result):
    if not EARLIEST_YEAR <= result.year <= LATEST_YEAR:
        raise CellError(f"is not between {EARLIEST_YEAR} and {LATEST_YEAR}; check the year {DATE_HELP}")
    return result


# --- Numbers -----------------------------------------------------------------------------

MONEY_HELP = "write it like £30,000 or 30000.50"
# Thousands separated by commas in threes, or no separators; pence optional.
AMOUNT = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$")
SHORTHAND = re.compile(r"^£?\s*\d+(?:\.\d+)?\s*(k|m|bn|K|M|BN)$")


def parse_money(value, *, max_digits=12):
    if is_blank(value):
        return Decimal("0.00")
    amount = _number(value, places=2, help_text=MONEY_HELP, currency=True)
    return _within(amount, max_digits=max_digits, places=2)


def parse_hours(value, *, max_digits=8):
    if is_blank(value):
        return Decimal("0.0")
    amount = _number(value, places=1, help_text="write it like 37.5", currency=False)
    return _within(amount, max_digits=max_digits, places=1)


def _number(value, *, places, help_text, currency):
    if isinstance(value, bool):
        raise CellError(f"is not a number ({help_text})")
    if isinstance(value, (int, float, Decimal)):
        amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        return _checked(amount, places, help_text)
    if isinstance(value, (datetime.date, datetime.time)):
        raise CellError(f"is a date, not a number ({help_text})")
    text = str(value).strip()
    if SHORTHAND.match(text):
        raise CellError(f"is not clear: write the amount in full ({help_text})")
    compact = text.replace(" ", "")
    # -£500, £-500 and the accountants' (500) are all negative.
    negative = bool(re.match(r"^(\(.*\)|£?-)", compact))
    compact = re.sub(r"^(£?)-", r"\1", compact.strip("()"))
    if currency:
        compact = compact.removeprefix("£")
    match = AMOUNT.match(compact)
    if not match:
        raise CellError(f"is not {'an amount of money' if currency else 'a number'} ({help_text})")
    whole, fraction = match.groups()
    if negative:
        raise CellError("cannot be negative")
    try:
        amount = Decimal(whole.replace(",", "") + (f".{fraction}" if fraction else ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise CellError(f"is not a number ({help_text})") from None
    return _checked(amount, places, help_text)


def _checked(amount, places, help_text):
    if not amount.is_finite():
        raise CellError(f"is not a number ({help_text})")
    if amount < 0:
        raise CellError("cannot be negative")
    step = Decimal(1).scaleb(-places)
    rounded = amount.quantize(step, rounding=ROUND_HALF_UP)
    # Excel stores 0.1 + 0.2 as 0.30000000000000004: that is still 30p, but 30.123 is not.
    if abs(rounded - amount) > Decimal("0.000001"):
        unit = "a penny" if places == 2 else "a tenth"
        raise CellError(f"has more decimal places than it can hold (smaller than {unit})")
    return rounded


def _within(amount, *, max_digits, places):
    if amount >= Decimal(10) ** (max_digits - places):
        raise CellError("is too large")
    return amount


# --- Yes / No ----------------------------------------------------------------------------

YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}


def parse_yes_no(value, *, default):
    if is_blank(value):
        return default
    if isinstance(value, bool):
        return value
    text = cell_text(value).strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise CellError("is not Yes or No")


# --- Choices and lists -------------------------------------------------------------------


# How councils' own registers word a partnership's status, beyond the register's labels.
STATUS_WORDS = {
    "approved": Status.ACTIVE,
    "live": Status.ACTIVE,
    "current": Status.ACTIVE,
    "in force": Status.ACTIVE,
    "ongoing": Status.ACTIVE,
    "draft": Status.PROPOSED,
    "ended": Status.CLOSED,
    "ceased": Status.CLOSED,
    "dissolved": Status.CLOSED,
}


def choice_lookup(choices):
    """Normalised label or value → value: 'Multi-organisation', 'multi', 'MULTI ORGANISATION' → 'multi'."""
    lookup = dict(STATUS_WORDS) if choices is Status else {}
    for value, label in choices.choices:
        lookup[normalise_heading(value)] = value
        lookup[normalise_heading(label)] = value
    return lookup


def parse_choice(value, choices, lookup=None):
    if is_blank(value):
        return ""
    lookup = lookup or choice_lookup(choices)
    found = lookup.get(normalise_heading(cell_text(value)))
    if found is None:
        raise CellError("is not one of: " + ", ".join(label for _, label in choices.choices))
    return found


def parse_names(value):
    """'A; B;; a ' → ['A', 'B'] (semicolons or line breaks; repeats dropped, first spelling kept)."""
    if is_blank(value):
        return []
    names, seen = [], set()
    for part in re.split(r"[;\n]", parse_text(value)):
        name = " ".join(part.split())
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names


def name_key(name):
    """How names are matched: trimmed, inner spaces collapsed, any capitals."""
    return " ".join(str(name).split()).casefold()


REFERENCE = re.compile(r"^[A-Z]+-\d+$")


def parse_reference(value):
    if is_blank(value):
        return ""
    reference = cell_text(value).strip().upper().replace(" ", "")
    if not REFERENCE.match(reference):
        raise CellError("is not a register reference (they look like P-0042)")
    return reference
