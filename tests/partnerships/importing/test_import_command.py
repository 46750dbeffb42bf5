"""manage.py import_register: exit code, every problem printed, progress, dry run."""

import pytest
from django.core.management import CommandError, call_command

from partnerships.models import Partnership
from tests.bench import import_rows as bench
from tests.partnerships.factories import PartnershipFactory, csv_bytes, row

pytestmark = pytest.mark.django_db


def run(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("import_register", *map(str, args), stdout=out, stderr=err)
    except CommandError as error:
        return 1, out.getvalue(), err.getvalue(), str(error)
    return 0, out.getvalue(), err.getvalue(), ""


def test_a_good_file_is_imported_as_drafts(tmp_path, reference_data, manager):
    path = tmp_path / "register.csv"
    path.write_bytes(csv_bytes([row(), row(Name="Second")]))
    code, out, err, _ = run(path, "--user", manager.username)
    assert code == 0, err
    assert "2 rows: 2 to create as drafts, 0 to update, 0 unchanged." in out
    assert "Imported register.csv: 2 created as drafts, 0 updated, 0 unchanged" in out
    assert Partnership.objects.filter(live=False).count() == 2
    assert {entry.latest_revision.user for entry in Partnership.objects.all()} == {manager}


def test_a_bad_file_prints_every_problem_exits_1_and_saves_nothing(tmp_path, reference_data):
    path = tmp_path / "register.csv"
    rows = [row(Name=f"Partnership {n}") for n in range(10)]
    rows[5]["Start date"] = "31/02/2024"
    rows[7]["Level"] = "Cosmic"
    path.write_bytes(csv_bytes(rows))
    code, out, err, error = run(path)
    assert code == 1
    assert err.splitlines() == [
        'row 7, column "Start date": "31/02/2024" is not a real date (use dd/mm/yyyy)',
        'row 9, column "Level": "Cosmic" is not one of: Strategic, Operational',
    ]
    assert error == "2 problems in register.csv; nothing was imported."
    assert Partnership.objects.count() == 0


def test_a_dry_run_shows_the_changes_and_saves_nothing(tmp_path, reference_data):
    entry = PartnershipFactory(name="Old", lead_officer=reference_data["officer"])
    path = tmp_path / "register.csv"
    path.write_bytes(csv_bytes([row(), row(Reference=entry.reference, Status="Active")]))
    code, out, _, _ = run(path, "--dry-run")
    assert code == 0
    assert "1 to create as drafts, 1 to update" in out
    assert "row 2: (new) Community Safety Partnership: create" in out
    assert f"row 3: {entry.reference} Community Safety Partnership: update Name, Purpose and aims" in out
    assert "(live: saved as a draft revision for approval)" in out
    assert "Dry run: nothing was saved." in out
    assert Partnership.objects.count() == 1
    entry.refresh_from_db()
    assert entry.latest_revision is None


def test_unknown_partners_are_listed_and_can_be_created(tmp_path, reference_data):
    path = tmp_path / "register.csv"
    path.write_bytes(csv_bytes([row(Partners="Acme Ltd; Zed Trust")]))
    code, _, err, _ = run(path)
    assert code == 1
    assert "Partner organisations not in the register (add them, or use --create-partners): Acme Ltd; Zed Trust" in err
    code, out, _, _ = run(path, "--create-partners")
    assert code == 0
    assert "Partner organisations created: Acme Ltd; Zed Trust" in out


def test_progress_is_printed_for_long_files(tmp_path, reference_data):
    path = tmp_path / "register.csv"
    path.write_bytes(csv_bytes([row(Name=f"Partnership {n}") for n in range(1200)]))
    code, out, _, _ = run(path)
    assert code == 0
    assert "Checking: 500 of 1,200 rows" in out
    assert "Checking: 1,200 of 1,200 rows" in out
    assert "Saving: 1,200 of 1,200 rows" in out
    assert Partnership.objects.count() == 1200


def test_missing_files_users_and_oversized_files(tmp_path, settings):
    assert run(tmp_path / "nope.csv")[3] == f"{tmp_path / 'nope.csv'} is not a file."
    path = tmp_path / "register.csv"
    path.write_bytes(b"x" * 2048)
    assert run(path, "--user", "nobody")[3] == 'There is no user "nobody".'
    settings.PARTNERSHIP_IMPORT_MAX_BYTES = 1024
    assert "the most the import takes is" in run(path)[3]


def test_columns_and_template(tmp_path):
    code, out, _, _ = run("--columns")
    assert "Start date (optional): When the council joined." in out
    assert "Format: A date, day first: dd/mm/yyyy (or an Excel date)" in out
    for name in ("template.csv", "template.xlsx"):
        assert run("--template", tmp_path / name)[0] == 0
        assert (tmp_path / name).stat().st_size > 100


def test_the_benchmark_runs_and_leaves_nothing_behind():
    seconds = bench.run(rows=30)
    assert seconds > 0
    assert Partnership.objects.count() == 0


def test_export_then_import_from_the_command_line_changes_nothing(tmp_path, reference_data, manager):
    from io import StringIO

    PartnershipFactory(name="Published", lead_officer=reference_data["officer"], service_area=reference_data["area"])
    for name in ("register.csv", "register.xlsx"):
        call_command("export_register", str(tmp_path / name), stdout=StringIO())
        code, out, err, _ = run(tmp_path / name, "--user", manager.username)
        assert code == 0, err
        assert "0 created as drafts, 0 updated, 1 unchanged" in out
    assert Partnership.objects.get().revisions.count() == 0
