"""Cell parsers and the file reader: what a council spreadsheet may hold, and what is refused."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest

from partnerships.importing import parsing
from partnerships.importing.columns import COLUMNS, column_for_heading, normalise_heading
from partnerships.importing.reader import FileProblem, read_table
from partnerships.models import Geography, Level, Membership


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("01/04/2024", datetime.date(2024, 4, 1)),
        ("1/4/2024", datetime.date(2024, 4, 1)),
        (" 31/12/2024 ", datetime.date(2024, 12, 31)),
        ("05/03/2024", datetime.date(2024, 3, 5)),  # day first, never March the 5th read as May
        ("29/02/2024", datetime.date(2024, 2, 29)),
        ("31.12.2024", datetime.date(2024, 12, 31)),
        ("2024-04-01", datetime.date(2024, 4, 1)),
        (datetime.datetime(2024, 4, 1, 0, 0), datetime.date(2024, 4, 1)),
        (datetime.date(2024, 4, 1), datetime.date(2024, 4, 1)),
        ("", None),
        (None, None),
    ],
)
def test_dates_are_read_day_first(cell, expected):
    assert parsing.parse_date(cell) == expected


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        ("31/02/2024", "is not a real date (use dd/mm/yyyy)"),
        ("29/02/2023", "is not a real date (use dd/mm/yyyy)"),
        ("12/31/2024", "is not a real date (use dd/mm/yyyy)"),  # month-first is refused, not swapped
        ("1/4/24", "has a two-digit year; write the year in full (use dd/mm/yyyy)"),
        ("next April", "is not a date (use dd/mm/yyyy)"),
        ("01/04/0204", "is not between 1900 and 2100; check the year (use dd/mm/yyyy)"),
        (45383, "is a number, not a date (use dd/mm/yyyy); format the cell as a date or type the date"),
    ],
)
def test_impossible_and_unclear_dates_are_refused(cell, problem):
    with pytest.raises(parsing.CellError) as error:
        parsing.parse_date(cell)
    assert error.value.problem == problem


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("£30,000", Decimal("30000.00")),
        ("30000", Decimal("30000.00")),
        ("£30,000.50", Decimal("30000.50")),
        ("£ 1,234,567.5", Decimal("1234567.50")),
        (30000, Decimal("30000.00")),
        (0.1 + 0.2, Decimal("0.30")),
        (Decimal("12.5"), Decimal("12.50")),
        ("", Decimal("0.00")),
        (None, Decimal("0.00")),
    ],
)
def test_money_as_people_write_it(cell, expected):
    assert parsing.parse_money(cell) == expected


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        ("30k", "is not clear: write the amount in full (write it like £30,000 or 30000.50)"),
        ("£1.2m", "is not clear: write the amount in full (write it like £30,000 or 30000.50)"),
        ("30,00", "is not an amount of money (write it like £30,000 or 30000.50)"),
        ("about £5,000", "is not an amount of money (write it like £30,000 or 30000.50)"),
        ("-£500", "cannot be negative"),
        ("£-500", "cannot be negative"),
        ("(500)", "cannot be negative"),
        (-5, "cannot be negative"),
        ("12.345", "has more decimal places than it can hold (smaller than a penny)"),
        ("99999999999", "is too large"),
        (True, "is not a number (write it like £30,000 or 30000.50)"),
    ],
)
def test_unclear_money_is_refused(cell, problem):
    with pytest.raises(parsing.CellError) as error:
        parsing.parse_money(cell)
    assert error.value.problem == problem


def test_hours_take_one_decimal_place():
    assert parsing.parse_hours("37.5") == Decimal("37.5")
    assert parsing.parse_hours("1,200") == Decimal("1200.0")
    with pytest.raises(parsing.CellError, match="smaller than a tenth"):
        parsing.parse_hours("37.25")
    with pytest.raises(parsing.CellError, match="is not a number"):
        parsing.parse_hours("£37")


@pytest.mark.parametrize("cell", ["Yes", "yes", "Y", "TRUE", "true", "1", True])
def test_yes(cell):
    assert parsing.parse_yes_no(cell, default=False) is True


@pytest.mark.parametrize("cell", ["No", "n", "False", "0", False])
def test_no(cell):
    assert parsing.parse_yes_no(cell, default=True) is False


def test_yes_no_blank_takes_the_default_and_anything_else_is_refused():
    assert parsing.parse_yes_no("", default=True) is True
    with pytest.raises(parsing.CellError, match="is not Yes or No"):
        parsing.parse_yes_no("Maybe", default=False)


@pytest.mark.parametrize(
    ("cell", "choices", "expected"),
    [
        ("Strategic", Level, "strategic"),
        ("strategic", Level, "strategic"),
        ("STRATEGIC ", Level, "strategic"),
        ("Multi-organisation", Membership, "multi"),
        ("multi organisation", Membership, "multi"),
        ("multi", Membership, "multi"),
        ("Sub-regional", Geography, "sub_regional"),
        ("sub_regional", Geography, "sub_regional"),
    ],
)
def test_choices_take_the_label_or_the_value_in_any_case(cell, choices, expected):
    assert parsing.parse_choice(cell, choices) == expected


def test_an_unknown_choice_lists_the_right_ones():
    with pytest.raises(parsing.CellError) as error:
        parsing.parse_choice("Strategicc", Level)
    assert error.value.problem == "is not one of: Strategic, Operational"


def test_names_split_on_semicolons_and_drop_repeats():
    assert parsing.parse_names(" Police ;Fire;; police\nNHS ") == ["Police", "Fire", "NHS"]


def test_text_undoes_the_apostrophe_an_export_puts_before_a_formula():
    assert parsing.parse_text("'=SUM(A1)") == "=SUM(A1)"
    assert parsing.parse_text("'-to do") == "-to do"
    assert parsing.parse_text("'Tis the season") == "'Tis the season"
    assert parsing.parse_text("line one\r\nline two ") == "line one\nline two"


def test_every_heading_names_one_column():
    owners = {}
    for column in COLUMNS:
        for heading in column.headings():
            assert owners.setdefault(heading, column.field) == column.field, heading
    assert column_for_heading("ANNUAL COUNCIL CONTRIBUTION") is column_for_heading("Annual council contribution (£)")
    assert column_for_heading("start_date").header == "Start date"
    assert normalise_heading("  Council's  role ") == "council s role"


@pytest.mark.parametrize(
    ("codec", "name"),
    [("cp1252", "Windows-1252"), ("utf-8-sig", "UTF-8"), ("utf-8", "UTF-8"), ("utf-16", "UTF-16")],
)
def test_text_encodings_are_detected(codec, name):
    separator = "\t" if codec == "utf-16" else ","  # Excel's "Unicode text" is tab-separated
    header = separator.join(column.header for column in COLUMNS)
    table = read_table(f"{header}\r\n{separator}£5 for “safer” streets\r\n".encode(codec), "register.csv")
    assert table.encoding == name
    assert table.rows[0].cells["name"] == "£5 for “safer” streets"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"\r\n\r\n", "The file is empty."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "The file is a PNG image, not a spreadsheet"),
        (b"Name,Level\n\x81\x8d\x8f\x90", "could not be read as UTF-8 or Windows-1252 text"),
        (b"Name,Level\nA\x00B,strategic", "The file is not text (it contains binary data)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "old-style Excel workbook (.xls)"),
        (b"PK\x03\x04not really a zip", "could not be read as an Excel workbook"),
        (b"Colour,Size\nred,big", "none of its cells is a heading the import knows"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(data, message):
    with pytest.raises(FileProblem) as error:
        read_table(data, "register.csv")
    assert message in " ".join(error.value.messages)


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    with pytest.raises(FileProblem, match="could not be read as an Excel workbook"):
        read_table(buffer.getvalue(), "register.docx")


def test_a_header_only_file_is_refused():
    header = ",".join(column.header for column in COLUMNS).encode()
    with pytest.raises(FileProblem, match="a heading row but no entries"):
        read_table(header + b"\r\n,,,\r\n", "register.csv")


def test_every_missing_required_column_is_named():
    with pytest.raises(FileProblem) as error:
        read_table(b"Name,Level\nA,strategic\n", "register.csv")
    assert 'The file has no "Purpose and aims" column, which is required.' in error.value.messages
    assert 'The file has no "Service area" column, which is required.' in error.value.messages
    assert len(error.value.messages) == 7


def test_the_same_column_twice_is_refused():
    header = ",".join(column.header for column in COLUMNS) + ",name"
    with pytest.raises(FileProblem, match='Columns B and AG are both "Name"'):
        read_table(f"{header}\n".encode() + b"x" * 3, "register.csv")


def test_unknown_and_unheaded_columns_are_warned_about_and_rows_numbered_as_in_excel():
    header = ",".join(column.header for column in COLUMNS) + ",Notes,"
    data = f"{header}\r\n\r\nP-0001,A\r\n".encode()
    table = read_table(data, "register.csv")
    assert table.warnings == [
        'Column "Notes" is not one the import knows; it was ignored.',
        "Column AH has no heading; it was ignored.",
    ]
    assert [row.number for row in table.rows] == [3]
    assert table.rows[0].cells["name"] == "A"
    assert table.rows[0].cells["purpose"] is None


def test_semicolon_and_tab_separated_files_are_read():
    for separator in (";", "\t"):
        header = separator.join(column.header for column in COLUMNS)
        table = read_table(f"{header}\n{separator}Name here\n".encode(), "register.csv")
        assert table.rows[0].cells["name"] == "Name here"


def test_too_many_rows_is_refused_before_any_checking(settings):
    header = ",".join(column.header for column in COLUMNS)
    data = (header + "\n" + ",x\n" * 10_001).encode()
    with pytest.raises(FileProblem) as error:
        read_table(data, "register.csv")
    assert error.value.messages == [
        "The file has more than 10,000 rows of entries; the import takes at most 10,000 at a time. "
        "Split it into smaller files."
    ]


def test_too_many_bytes_is_refused(settings):
    settings.PARTNERSHIP_IMPORT_MAX_BYTES = 1024 * 1024
    with pytest.raises(FileProblem, match=r"The file is 1\.5 MB; the most the import takes is 1 MB"):
        read_table(b"x" * (1024 * 1024 * 3 // 2), "register.csv")
