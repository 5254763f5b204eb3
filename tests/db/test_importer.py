"""The import: our Dutch CSV templates and HSDS packages, all rows or none, with a full report."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.domain.catalogue.themes import seed_themes
from portal.domain.errors import FieldError
from portal.domain.exchange import importing as importer
from portal.models import Listing, ListingKind, ListingStatus, Organisation, OrganisationKind, Role
from portal.models.base import utcnow
from tests.factories import make_organisation, make_user

ROOT = Path(__file__).resolve().parents[2]
OFFICIAL = ROOT / "tests" / "data" / "hsds-3.0" / "examples" / "csv"
LISTING_HEADER = "titel,soort,omschrijving,organisatie,postcode,plaats,lat,lon,themas,straal_km"


@pytest.fixture
def officer(session):
    seed_themes(session)
    return make_user(session, role=Role.OFFICER)


def _run(session, officer, data: bytes, name: str = "bestand.csv", **options):
    source = importer.read_upload(data, name)
    return importer.run_import(session, source, officer, utcnow(), **options)


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_official_example_package_imports_and_lists_what_has_no_home(session, officer):
    report = importer.run_import(
        session, importer.read_path(OFFICIAL), officer, utcnow(), default_place="Raalte"
    )
    assert report.errors == [] and report.imported, report.lines()
    organisation = session.scalars(select(Organisation)).one()
    assert organisation.name == "Example Organization Inc."
    assert organisation.contact_email == "email@example.com"
    assert organisation.place_name == "Raalte" and organisation.kind is OrganisationKind.WELFARE
    offer = session.scalars(select(Listing)).one()
    assert (offer.title, offer.kind, offer.status) == (
        "Community Counselling", ListingKind.OFFER, ListingStatus.PUBLISHED
    )  # fmt: skip
    assert (offer.age_min, offer.age_max, offer.organisation_id) == (12, 100, organisation.id)
    assert offer.weekly_slots == ["thu-morning", "thu-afternoon", "fri-morning", "fri-afternoon"]
    missing = "\n".join(report.not_imported)
    for expected in ("programs.csv (1 rij)", "organizations.csv kolom tax_id", "funding.csv",
                     "services.csv kolom alert", "locations.csv rij 2: ‘MyCity Civic Center’",
                     "taxonomy_terms.csv rij 2", "cost_options.csv", "contacts.csv"):  # fmt: skip
        assert expected in missing
    assert any("standaardplaats Raalte" in note for note in report.notes)
    assert "1 organisatie(s) zonder soort" in "\n".join(report.notes)


def test_official_example_without_default_place_imports_nothing(session, officer):
    report = importer.run_import(session, importer.read_path(OFFICIAL), officer, utcnow())
    assert not report.imported and _count(session, Organisation) == 0
    assert {(e.file, e.row, e.column) for e in report.errors} == {
        ("organizations.csv", 2, "locatie"), ("services.csv", 2, "locatie"),
    }  # fmt: skip


def test_unknown_default_place_is_a_field_error(session, officer):
    with pytest.raises(FieldError) as raised:
        importer.run_import(
            session, importer.read_path(OFFICIAL), officer, utcnow(), default_place="Zuidwolde"
        )
    assert raised.value.field == "default_place" and "De Wolden" in raised.value.message


def _thousand_rows(bad_index: int) -> bytes:
    places = ("Olst", "Heino", "6088", "Roggel, Leudal", "Hatert")
    lines = [LISTING_HEADER]
    for index in range(1000):
        place = "Nergenshuizen" if index == bad_index else places[index % len(places)]
        lines.append(f'Hulp {index},aanbod,Iets doen,,,"{place}",,,naoberzorg; vervoer,5')
    return "\n".join(lines).encode()


def test_thousand_rows_with_one_bad_row_import_nothing_and_name_it(session, officer):
    report = _run(session, officer, _thousand_rows(bad_index=736), "aanbod.csv")
    assert report.rows == 1000 and not report.imported
    assert [(e.row, e.column) for e in report.errors] == [(738, "plaats")]
    assert "Nergenshuizen" in report.errors[0].reason
    assert "aanbod.csv, rij 738, kolom ‘plaats’" in "\n".join(report.lines())
    assert _count(session, Listing) == 0


def test_template_files_in_docs_import(session, officer):
    organisations = _run(session, officer, (ROOT / "docs/import-organisaties.csv").read_bytes())
    assert organisations.errors == [] and organisations.organisations == 4, organisations.lines()
    listings = _run(session, officer, (ROOT / "docs/import-aanbod.csv").read_bytes())
    assert listings.errors == [] and listings.listings == 5, listings.lines()
    pol = session.scalars(select(Organisation).where(Organisation.name == "Dorpshuis De Pol")).one()
    assert (pol.kind, pol.place_name, pol.wheelchair_access, pol.hearing_loop) == (
        OrganisationKind.KULTURHUS, "Haarle", True, False
    )  # fmt: skip
    assert [m.user_id for m in pol.memberships] == [officer.id]
    day_care = session.scalars(select(Listing).where(Listing.organisation_id == pol.id)).one()
    assert day_care.weekly_slots == ["tue-morning", "thu-morning"] and day_care.capacity == 12
    assert (day_care.public_lat, day_care.public_lon) == (pol.lat, pol.lon)
    leudal = session.scalars(select(Organisation).where(Organisation.name == "Wmo-loket Leudal"))
    assert sorted(t.slug for t in leudal.one().themes) == [
        "geldzaken-armoede", "mantelzorgondersteuning"
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("soort", "club", "Onbekende waarde ‘club’. Kies uit: kulturhus"),
        ("naam", "", "Verplicht"),
        ("plaats", "Zuidwolde", "Zuidwolde (De Wolden)"),
        ("plaats", "Atlantis", "‘Atlantis’ staat niet in de lijst"),
        ("website", "www.example.nl", "https://"),
        ("email", "geen-adres", "geen geldig e-mailadres"),
        ("themas", "breien", "Onbekend thema ‘breien’"),
        ("ringleiding", "misschien", "ja of nee"),
        ("lat", "48.1", "De coördinaten 48.1, 6.1 liggen niet in Nederland"),
    ],
)
def test_template_names_the_column_and_reason(session, officer, column, value, reason):
    row = {"naam": "Dorpshuis", "soort": "dorpshuis", "plaats": "Olst", "lon": "", column: value}
    if column == "lat":
        row["lon"] = "6.1"
    header = ",".join(row)
    report = _run(session, officer, f"{header}\n{','.join(row.values())}\n".encode())
    errors = [(e.row, e.column) for e in report.errors]
    assert errors == [(2, column)] and reason in report.errors[0].reason, report.lines()
    assert _count(session, Organisation) == 0


def test_template_accepts_semicolons_a_bom_and_loose_column_names(session, officer):
    data = "\ufeffNaam;Soort;Thema's;E-mail;Postcode\nKulturhus;kulturhus;Vervoer;a@b.nl;8121\n"
    report = _run(session, officer, data.encode("utf-8"))
    assert report.errors == [] and report.imported
    organisation = session.scalars(select(Organisation)).one()
    assert (organisation.contact_email, organisation.place_name) == ("a@b.nl", "Olst")


def test_template_lists_unknown_columns_as_not_imported(session, officer):
    report = _run(session, officer, b"naam,soort,plaats,kvk\nDorpshuis,dorpshuis,Olst,123\n")
    assert report.imported and report.not_imported == ["kolom ‘kvk’ (1 rij met een waarde)"]


def test_duplicates_are_refused(session, officer):
    make_organisation(session, name="Dorpshuis", place="Olst")
    report = _run(session, officer, b"naam,soort,plaats\nDorpshuis,dorpshuis,Olst\nB,fonds,Olst\n"
                  b"B,fonds,Wijhe\n")  # fmt: skip
    assert [(e.row, e.column) for e in report.errors] == [(2, "naam"), (4, "naam")]


def test_listing_needs_a_known_organisation(session, officer):
    data = f"{LISTING_HEADER}\nHulp,aanbod,,Onbekend,,Olst,,,,\n".encode()
    report = _run(session, officer, data)
    assert [e.column for e in report.errors] == ["organisatie"]


def test_listing_without_a_place_sits_at_its_organisation(session, officer):
    organisation = make_organisation(session, name="Kulturhus", place="Olst")
    report = _run(session, officer, f"{LISTING_HEADER}\nZaal,middelen,,kulturhus,,,,,,\n".encode())
    assert report.imported, report.lines()
    listing = session.scalars(select(Listing)).one()
    assert (listing.kind, listing.organisation_id, listing.exact_location_public) == (
        ListingKind.RESOURCE, organisation.id, True
    )  # fmt: skip


def test_dry_run_checks_but_writes_nothing(session, officer):
    report = _run(session, officer, b"naam,soort,plaats\nDorpshuis,dorpshuis,Olst\n", dry_run=True)
    assert report.ok and not report.imported and _count(session, Organisation) == 0


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "leeg.csv", "leeg"),
        (b"foo,bar\n1,2\n", "raar.csv", "Onbekende kolommen"),
        (b"id,name,description\n1,a,b\n", "organizations.csv", "hele pakket als zip"),
        (b"PK\x03\x04kapot", "pakket.zip", "beschadigd"),
    ],
)
def test_unreadable_files_say_why(session, officer, data, name, message):
    with pytest.raises(importer.ImportFileError, match=message):
        importer.read_upload(data, name)


def test_zip_without_organizations_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("services.csv", "id,name\n")
    with pytest.raises(importer.ImportFileError, match=r"organizations\.csv"):
        importer.read_upload(buffer.getvalue(), "pakket.zip")
