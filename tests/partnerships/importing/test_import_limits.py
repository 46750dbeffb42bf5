"""Hostile spreadsheets uploaded through the import page end as a clear message, in bounded memory.

Each file is built here, uploaded as a register manager through the URL the browser
posts to, and followed to the page the check ends on (the check task runs in-process
under the test settings). Memory is measured in a child process that reads the file
as a worker would, with the default limits.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partnerships.importing import jobs
from partnerships.importing.columns import COLUMNS
from partnerships.importing.limits import FileProblem
from partnerships.importing.reader import read_table
from partnerships.models import Partnership, RegisterImport
from tests.partnerships.factories import csv_bytes, row, xlsx_bytes
from tests.partnerships.importing import hostile_workbooks as hostile

BASE_DIR = Path(__file__).resolve().parents[3]
UPLOAD = "partnerships_import:upload"
MEMORY_LIMIT_MB = 200

pytestmark = pytest.mark.usefixtures("private_import_dir")


@pytest.fixture
def signed_in(client, manager, reference_data):
    client.force_login(manager)
    return client


def upload(client, data, name="register.xlsx"):
    response = client.post(reverse(UPLOAD), {"file": SimpleUploadedFile(name, data)}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[0][1] == 302  # to the progress page: the check is a task, not the request
    return response.content.decode()


def assert_refused(html, message):
    assert "was not imported" in html
    assert "Nothing has been imported" in html
    assert message in html.replace("&#x27;", "'").replace("&quot;", '"')
    assert Partnership.objects.count() == 0
    # The refused upload is kept privately for the history, which records the refusal.
    latest = RegisterImport.objects.first()
    assert latest.outcome == RegisterImport.Outcome.INVALID
    assert (jobs.import_dir() / latest.stored_name).is_file()


# --- The three files of the report ---------------------------------------------------------


@pytest.mark.django_db
def test_a_shared_strings_bomb_is_refused_before_anything_is_unpacked(signed_in):
    bomb = hostile.shared_strings_bomb()
    assert len(bomb) < 5 * 1024 * 1024  # a few MB that unpack to 400 MB

    html = upload(signed_in, bomb)

    assert_refused(
        html,
        "The workbook unpacks to 387.6 MB or more; the import takes workbooks of at most 50 MB unpacked. "
        "Copy the register's rows into a new workbook, or save it as CSV, and upload that.",
    )


@pytest.mark.django_db
def test_a_sheet_declaring_a_billion_cells_is_read_as_the_rows_it_holds(signed_in):
    started = time.monotonic()

    html = upload(signed_in, hostile.declared_huge())

    assert "Check what will be imported" in html
    assert "Second partnership" in html
    assert "register.xlsx: 2 rows (XLSX)" in html
    # Padding each row to 16,384 cells and the sheet to 1,048,576 rows took the worker minutes.
    assert time.monotonic() - started < 30


@pytest.mark.django_db
def test_a_value_far_outside_the_register_is_refused_naming_the_column_limit(signed_in):
    html = upload(signed_in, hostile.declared_huge(far_value="stray", far_cell="XFD1048576"))

    assert_refused(
        html,
        "Row 1048576 has a value in column XFD; the import reads at most 60 columns. "
        "Delete the columns to the right of the register's and upload it again.",
    )


@pytest.mark.django_db
def test_a_hidden_sheet_named_like_the_register_is_ignored_for_the_visible_one(signed_in):
    html = upload(signed_in, hostile.hidden_register_beside_visible("Partnerships 2024"))

    assert "Check what will be imported" in html
    assert "Visible partnership" in html
    assert "Hidden old copy" not in html
    assert (
        "The import read the sheet &quot;Partnerships 2024&quot;. Hidden sheets are never read, so "
        "&quot;Register&quot; was ignored."
    ) in html


# --- Each limit, with a message naming it ---------------------------------------------------


@pytest.mark.django_db
def test_more_rows_than_the_limit_are_refused(signed_in, settings):
    settings.PARTNERSHIP_IMPORT_MAX_ROWS = 3
    rows = [row(Name=f"Partnership {n}") for n in range(4)]

    for data, name in ((xlsx_bytes(rows), "register.xlsx"), (csv_bytes(rows), "register.csv")):
        assert_refused(
            upload(signed_in, data, name),
            "The file has more than 3 rows of entries; the import takes at most 3 at a time. "
            "Split it into smaller files.",
        )


@pytest.mark.django_db
def test_a_csv_value_beyond_the_column_limit_is_refused(signed_in):
    header = ",".join(column.header for column in COLUMNS)
    data = f"{header}\r\n,A partnership{',' * 59}stray\r\n".encode()  # "stray" is the 61st cell

    assert_refused(
        upload(signed_in, data, "register.csv"), "Row 2 has a value in column BI; the import reads at most 60"
    )


@pytest.mark.django_db
def test_a_csv_row_of_a_million_cells_is_refused_before_it_is_built(signed_in):
    header = ",".join(column.header for column in COLUMNS)
    data = (header + "\r\n" + "ab," * 3_000_000).encode()  # 9 MB, under the upload limit

    assert_refused(
        upload(signed_in, data, "register.csv"),
        "Row 2 holds more text than 60 full spreadsheet cells can. Is a quotation mark missing its pair?",
    )


@pytest.mark.django_db
def test_reading_longer_than_the_time_limit_is_refused(signed_in, settings):
    settings.PARTNERSHIP_IMPORT_MAX_SECONDS = 0

    assert_refused(
        upload(signed_in, hostile.good_workbook()),
        "Reading the file took longer than 0 seconds, the most the import allows.",
    )


def test_a_part_that_unpacks_beyond_its_declared_size_is_refused():
    bomb = hostile.shared_strings_bomb()
    liar = hostile.lying_sizes(bomb, hostile.STRINGS, 1024)

    with pytest.raises(FileProblem, match="could not be read as an Excel workbook"):
        read_table(liar, "register.xlsx")


def test_a_cell_longer_than_excel_allows_is_refused_before_it_is_whole():
    with pytest.raises(FileProblem, match="holds more than 32,767 characters"):
        read_table(hostile.huge_cell(unpacked_mb=1), "register.xlsx")


# --- Memory, measured in a child process -----------------------------------------------------

# VmHWM, the peak resident memory of this process image: ru_maxrss would include the
# test process's own, which Linux carries across the fork and exec that start the child.
CHILD = """
import json, re, sys
from pathlib import Path
import django
django.setup()
from partnerships.importing.limits import FileProblem
from partnerships.importing.reader import read_table
def peak_mb():
    return int(re.search(r"VmHWM:\\s+(\\d+) kB", Path("/proc/self/status").read_text()).group(1)) / 1024
baseline = peak_mb()
data = Path(sys.argv[1]).read_bytes()
try:
    outcome = f"{len(read_table(data, sys.argv[1]).rows)} rows"
except FileProblem as problem:
    outcome = " ".join(problem.messages)
print(json.dumps({"outcome": outcome, "peak_mb": peak_mb(), "django_mb": baseline}))
"""


def widest_csv():
    """10,000 rows of 60 columns, every cell filled: the most text a CSV under the upload limit can hold."""
    headers = [column.header for column in COLUMNS] + [f"Notes {n}" for n in range(60 - len(COLUMNS))]
    rows = [
        {header: f"{n:06d}-{index:02d}-{header[:6]}" for index, header in enumerate(headers)} for n in range(10_000)
    ]
    return csv_bytes(rows, headers=headers)


@pytest.mark.parametrize(
    ("name", "build", "outcome"),
    [
        ("bomb.xlsx", hostile.shared_strings_bomb, "The workbook unpacks to 387.6 MB or more"),
        ("huge.xlsx", lambda: hostile.declared_huge("stray", "XFD1048576"), "Row 1048576 has a value in column XFD"),
        ("cell.xlsx", hostile.huge_cell, "A cell of the workbook holds more than 32,767 characters"),
        ("strings.xlsx", hostile.many_shared_strings, "2 rows"),
        ("widest.csv", widest_csv, "10000 rows"),
    ],
)
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmHWM from Linux's /proc")
def test_reading_a_hostile_file_stays_under_200_mb(tmp_path, settings, name, build, outcome):
    data = build()
    assert len(data) <= settings.PARTNERSHIP_IMPORT_MAX_BYTES
    path = tmp_path / name
    path.write_bytes(data)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"}

    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300
    )

    assert child.returncode == 0, child.stderr
    report = json.loads(child.stdout.strip().splitlines()[-1])
    assert report["outcome"].startswith(outcome)
    # The whole worker-like process, Django included (about 90 MB of it), not just the parse.
    assert report["peak_mb"] < MEMORY_LIMIT_MB, report
