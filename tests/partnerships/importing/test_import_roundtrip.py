"""The template and the export use the import's columns: exporting then importing changes nothing."""

import csv
import io

import pytest
from openpyxl import load_workbook

from partnerships.importing import writing
from partnerships.importing.columns import COLUMNS
from partnerships.importing.service import check_file, import_file
from partnerships.models import Partnership, PartnershipPartner
from tests.partnerships.factories import PartnershipFactory, UserFactory, csv_bytes, row

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example","click")'


def revision_count():
    return sum(entry.revisions.count() for entry in Partnership.objects.all())


@pytest.fixture
def register(reference_data, manager):
    """A register with imported drafts, published entries, and a published entry with unpublished edits."""
    import_file(
        csv_bytes(
            [
                row(Name="Imported one"),
                row(Name=FORMULA, **{"Purpose and aims": "-to be agreed\nsecond line", "Shared objective": "+1 idea"}),
            ]
        ),
        "register.csv",
        user=manager,
    )
    officer, area = reference_data["officer"], reference_data["area"]
    live = PartnershipFactory(name="Published", lead_officer=officer, service_area=area, end_date=None)
    PartnershipPartner.objects.create(partnership=live, organisation=reference_data["police"], role="Chair")
    live.council_priorities.set([reference_data["priority"]])
    live.save()
    edited = PartnershipFactory(name="Published then edited", lead_officer=officer, service_area=area)
    edited.name = "Edited, awaiting approval"
    edited.save_revision(user=manager)
    return Partnership.objects.all()


@pytest.mark.parametrize(
    ("make", "filename"), [(writing.register_csv, "export.csv"), (writing.register_xlsx, "export.xlsx")]
)
def test_exporting_and_reimporting_changes_nothing(register, manager, make, filename):
    before = revision_count()
    plan, result = import_file(make(), filename, user=manager)
    assert plan.is_valid, [str(problem) for problem in plan.problems]
    assert plan.counts == {"create": 0, "update": 0, "unchanged": 4}
    assert (result.created, result.updated, result.unchanged) == ([], [], 4)
    assert revision_count() == before
    assert Partnership.objects.count() == 4


def test_the_export_holds_the_latest_version_of_each_entry(register):
    rows = list(csv.reader(io.StringIO(writing.register_csv().decode("utf-8-sig"))))
    assert rows[0] == [column.header for column in COLUMNS]
    names = {cells[1] for cells in rows[1:]}
    assert "Edited, awaiting approval" in names  # what an editor would open, not the published name
    published = next(cells for cells in rows[1:] if cells[1] == "Published")
    by_header = dict(zip(rows[0], published, strict=True))
    assert by_header["Partners"] == "Anytown Police"
    assert by_header["Council priorities"] == "Safer communities"
    assert by_header["Lead officer"] == "jane.smith@council.example"
    assert by_header["Start date"] == "01/04/2020"
    assert by_header["Annual council contribution (£)"] == "1000.00"


def test_a_change_in_the_export_is_one_update(register, manager):
    rows = list(csv.reader(io.StringIO(writing.register_csv().decode("utf-8-sig"))))
    header = rows[0]
    target = next(cells for cells in rows[1:] if cells[1] == "Imported one")
    target[header.index("Overall risk rating")] = "High"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    plan = check_file(buffer.getvalue().encode())
    assert plan.counts == {"create": 0, "update": 1, "unchanged": 3}
    (update,) = [planned for planned in plan.rows if planned.action == "update"]
    assert update.changes == ["Overall risk rating"]


def test_formula_cells_are_neutralised_in_the_csv_export(register):
    text = writing.register_csv().decode("utf-8-sig")
    cells = [cell for cells in csv.reader(io.StringIO(text)) for cell in cells]
    assert "'" + FORMULA in cells
    assert "'-to be agreed\nsecond line" in cells
    assert "'+1 idea" in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)


def test_formula_cells_are_text_in_the_xlsx_export(register):
    sheet = load_workbook(io.BytesIO(writing.register_xlsx()))["Register"]
    cells = [cell for cells in sheet.iter_rows() for cell in cells if cell.value is not None]
    formula_cell = next(cell for cell in cells if str(cell.value).endswith(FORMULA))
    assert formula_cell.value == "'" + FORMULA
    assert formula_cell.data_type == "s"
    assert not any(cell.data_type == "f" for cell in cells)


@pytest.mark.parametrize("text", ["=1+1", "+44 1234", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_the_writers_behind_the_template_and_export_neutralise_every_formula_start(text):
    (cells,) = list(csv.reader(io.StringIO(writing.csv_bytes([[text]]).decode("utf-8-sig"))))
    assert cells == ["'" + text]
    sheet = load_workbook(io.BytesIO(writing.xlsx_bytes([("Register", [["Heading"], [text]], {})])))["Register"]
    # (XML turns a CR into a line feed; what matters is the apostrophe first, and a text cell.)
    assert (sheet["A2"].value[0], sheet["A2"].data_type) == ("'", "s")


def test_the_csv_template_has_the_headings_and_an_example_that_imports(reference_data):
    data = writing.template_csv()
    assert data.startswith(b"\xef\xbb\xbf")  # a BOM, so Excel reads the £ as £
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == [column.header for column in COLUMNS]
    assert len(rows) == 2
    plan = check_file(data, "template.csv")
    assert plan.is_valid, [str(problem) for problem in plan.problems]
    assert plan.counts["create"] == 1


def test_the_xlsx_template_has_an_example_with_real_dates_and_a_columns_sheet(reference_data):
    data = writing.template_xlsx()
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Register", "Columns"]
    register_sheet = workbook["Register"]
    headers = [cell.value for cell in register_sheet[1]]
    assert headers == [column.header for column in COLUMNS]
    start = register_sheet.cell(row=2, column=headers.index("Start date") + 1)
    assert start.is_date
    money = register_sheet.cell(row=2, column=headers.index("Annual council contribution (£)") + 1)
    assert money.value == 30000
    documented = [cells[0] for cells in workbook["Columns"].iter_rows(min_row=2, values_only=True)]
    assert documented == [column.header for column in COLUMNS]
    assert check_file(data, "template.xlsx").is_valid


def test_the_export_refers_to_officers_without_email_by_name(reference_data):
    nameless = UserFactory(username="noemail", first_name="Nora", last_name="Nomail", email="")
    PartnershipFactory(lead_officer=nameless, service_area=reference_data["area"])
    text = writing.register_csv().decode("utf-8-sig")
    assert "Nora Nomail" in text
