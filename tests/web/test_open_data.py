"""The open-data page (officers and admins only) and the export-hsds / import-csv commands."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.domain.catalogue.themes import seed_themes
from portal.models import Listing, ListingKind, Organisation, Role
from tests.factories import make_listing, make_organisation, make_user

OFFICIAL = Path(__file__).resolve().parents[1] / "data/hsds-3.0/examples/csv"
PAGES = ["/dashboard/open-data", "/dashboard/open-data/hsds.zip", "/dashboard/open-data/hsds.json"]
GOOD_CSV = (
    b'naam,soort,plaats,themas\nDorpshuis De Pol,dorpshuis,"Haarle, Hellendoorn",dagbesteding\n'
)
BAD_CSV = GOOD_CSV + b"Buurtbus,burgerinitiatief,Atlantis,vervoer\n"


@pytest.mark.parametrize("path", PAGES)
def test_open_data_pages_send_anonymous_visitors_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]
    upload = client.post("/dashboard/open-data/importeren")
    assert upload.status_code == 302 and "/inloggen" in upload.headers["Location"]


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.ORGANISATION])
def test_open_data_pages_refuse_residents_and_organisations(client, login, role):
    login(role)
    assert [client.get(path).status_code for path in PAGES] == [403] * len(PAGES)
    assert client.post("/dashboard/open-data/importeren").status_code == 403


@pytest.mark.parametrize("role", [Role.OFFICER, Role.ADMIN])
def test_open_data_page_serves_officers_and_admins(client, login, role):
    login(role)
    page = client.get("/dashboard/open-data")
    assert page.status_code == 200
    assert 'href="/dashboard/open-data/hsds.zip"' in page.text
    assert 'enctype="multipart/form-data"' in page.text and 'type="file"' in page.text


def test_downloads_hold_the_package_and_the_json(client, login, session):
    organisation = make_organisation(session, name="Kulturhus Olst")
    make_listing(session, kind=ListingKind.OFFER, organisation_id=organisation.id, title="Zaal")
    session.commit()
    login(Role.OFFICER)
    package = client.get("/dashboard/open-data/hsds.zip")
    assert package.mimetype == "application/zip"
    assert 'filename="naoberkaart-hsds-' in package.headers["Content-Disposition"]
    assert package.headers["Content-Disposition"].endswith('.zip"')
    names = zipfile.ZipFile(io.BytesIO(package.data)).namelist()
    assert {"datapackage.json", "organizations.csv", "services.csv", "hsds.json"} <= set(names)
    document = json.loads(client.get("/dashboard/open-data/hsds.json").data)
    assert [o["name"] for o in document["organizations"]] == ["Kulturhus Olst"]
    assert [s["name"] for s in document["services"]] == ["Zaal"]


def _upload(client, data: bytes, name: str = "organisaties.csv", **fields):
    form = {"upload": (io.BytesIO(data), name), **fields}
    return client.post("/dashboard/open-data/importeren", data=form,
                       content_type="multipart/form-data")  # fmt: skip


def _organisations(session) -> int:
    return session.scalar(select(func.count()).select_from(Organisation))


def test_upload_imports_a_valid_file_and_shows_the_report(client, login, session):
    seed_themes(session)
    session.commit()
    officer = login(Role.OFFICER)
    response = _upload(client, GOOD_CSV)
    assert response.status_code == 200
    assert "Geïmporteerd: 1 organisatie(s)" in response.text
    imported = session.scalars(select(Organisation)).one()
    assert imported.place_name == "Haarle" and imported.memberships[0].user_id == officer.id


def test_upload_with_a_bad_row_imports_nothing_and_names_it(client, login, session):
    seed_themes(session)
    session.commit()
    login(Role.OFFICER)
    response = _upload(client, BAD_CSV)
    assert response.status_code == 400
    assert "er is niets geïmporteerd" in response.text
    assert "<td>3</td><td>plaats</td>" in response.text and "Atlantis" in response.text
    assert _organisations(session) == 0


def test_upload_dry_run_writes_nothing(client, login, session):
    seed_themes(session)
    session.commit()
    login(Role.OFFICER)
    response = _upload(client, GOOD_CSV, dry_run="y")
    assert response.status_code == 200 and "nog niets geïmporteerd" in response.text
    assert _organisations(session) == 0


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "leeg.csv", "leeg.csv is leeg"),
        (b"naam\n", "foto.png", "Kies een .csv- of .zip-bestand"),
        (b"foo,bar\n1,2\n", "raar.csv", "Onbekende kolommen"),
    ],
)
def test_upload_errors_sit_at_the_file_field(client, login, data, name, message):
    login(Role.OFFICER)
    response = _upload(client, data, name)
    assert response.status_code == 400 and message in response.text
    assert 'id="upload-error"' in response.text


def _official_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in OFFICIAL.glob("*.csv"):
            archive.write(path, f"hsds/{path.name}")
    return buffer.getvalue()


def test_upload_of_the_official_hsds_example_lists_what_has_no_home(client, login, session):
    login(Role.OFFICER)
    response = _upload(client, _official_zip(), "hsds.zip", default_place="Raalte")
    assert response.status_code == 200, response.text
    assert "Niet overgenomen" in response.text and "programs.csv (1 rij)" in response.text
    assert session.scalars(select(Listing)).one().title == "Community Counselling"


def test_upload_with_an_unknown_default_place_says_so_at_the_field(client, login, session):
    login(Role.OFFICER)
    response = _upload(client, _official_zip(), "hsds.zip", default_place="Atlantis")
    assert response.status_code == 400 and 'id="default_place-error"' in response.text
    assert _organisations(session) == 0


def test_upload_without_a_file_asks_for_one(client, login):
    login(Role.OFFICER)
    response = client.post("/dashboard/open-data/importeren", data={"default_place": "Olst"})
    assert response.status_code == 400 and "Kies een bestand" in response.text


def test_upload_needs_a_csrf_token(app, client, login, monkeypatch):
    login(Role.OFFICER)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert _upload(client, GOOD_CSV).status_code == 400
    assert 'name="csrf_token"' in client.get("/dashboard/open-data").text


def test_export_hsds_command_writes_the_package(app, session, tmp_path):
    make_organisation(session, name="Kulturhus Olst")
    session.commit()
    result = app.test_cli_runner().invoke(args=["export-hsds", str(tmp_path / "uit")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "uit" / "datapackage.json").exists()
    document = json.loads((tmp_path / "uit" / "hsds.json").read_text(encoding="utf-8"))
    assert document["organizations"][0]["name"] == "Kulturhus Olst"


def test_import_csv_command_reports_a_bad_row_and_fails(app, session, tmp_path):
    seed_themes(session)
    make_user(session, role=Role.ADMIN)
    session.commit()
    path = tmp_path / "organisaties.csv"
    path.write_bytes(BAD_CSV)
    result = app.test_cli_runner().invoke(args=["import-csv", str(path)])
    assert result.exit_code == 1
    assert "organisaties.csv, rij 3, kolom ‘plaats’" in result.output
    assert _organisations(session) == 0


def test_import_csv_command_imports_as_the_named_officer(app, session, tmp_path):
    seed_themes(session)
    officer = make_user(session, role=Role.OFFICER)
    session.commit()
    path = tmp_path / "organisaties.csv"
    path.write_bytes(GOOD_CSV)
    result = app.test_cli_runner().invoke(args=["import-csv", str(path), "--as", officer.email])
    assert result.exit_code == 0, result.output
    organisation = session.scalars(select(Organisation)).one()
    assert organisation.memberships[0].user_id == officer.id


def test_import_csv_command_without_an_admin_says_what_to_do(app, session, tmp_path):
    path = tmp_path / "organisaties.csv"
    path.write_bytes(GOOD_CSV)
    result = app.test_cli_runner().invoke(args=["import-csv", str(path)])
    assert result.exit_code == 1 and "create-user" in result.output


def test_import_csv_command_shows_progress_for_long_files(app, session, tmp_path):
    seed_themes(session)
    make_user(session, role=Role.ADMIN)
    make_organisation(session, name="Kulturhus", place="Olst")
    session.commit()
    lines = ["titel,soort,organisatie"] + [f"Activiteit {i},aanbod,Kulturhus" for i in range(150)]
    path = tmp_path / "aanbod.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["import-csv", str(path)])
    assert result.exit_code == 0, result.output
    assert "Controleren en importeren" in result.output
    assert session.scalar(select(func.count()).select_from(Listing)) == 150
