"""Spreadsheet safety shared by every CSV the register writes (admin export, open data)."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text cell that a spreadsheet will show, never evaluate (OWASP CSV injection).

    A leading apostrophe is the convention Excel and LibreOffice both honour.
    """
    if value is None:
        return ""
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
