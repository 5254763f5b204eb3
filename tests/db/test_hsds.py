"""The HSDS 3.0 export: official schemas, what is (not) exported, stable ids, the round trip."""

from __future__ import annotations

import csv
import io
import json
import uuid
import zipfile
from pathlib import Path

import jsonschema_rs
import pytest
from sqlalchemy import select

from portal.domain.exchange import hsds
from portal.domain.exchange import importing as importer
from portal.models import Listing, ListingKind, ListingStatus, Organisation, Role
from portal.models.base import utcnow
from portal.ops.seed import seed_demo
from tests.conftest import clear_tables
from tests.factories import make_listing, make_organisation, make_user

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "hsds-3.0"
SCHEMA_BASE = "https://hsds.invalid/schema/"  # a base for the relative `$ref`s; never fetched
BASE_URL = "https://naoberkaart.example.nl"
#: flat table -> the official schema file its rows must satisfy
ROW_SCHEMAS = {
    "organization": "organization.json", "service": "service.json", "location": "location.json",
    "service_at_location": "service_at_location.json", "address": "address.json",
    "phone": "phone.json", "accessibility": "accessibility.json", "schedule": "schedule.json",
    "taxonomy": "taxonomy.json", "taxonomy_term": "taxonomy_term.json",
    "attribute": "attribute.json",
}  # fmt: skip


@pytest.fixture(scope="module")
def validators() -> dict[str, jsonschema_rs.Draft202012Validator]:
    """One validator per official schema, resolving ``$ref: "attribute.json"`` in the schema dir."""
    schemas = {
        path.name: json.loads(path.read_text(encoding="utf-8"))
        for path in (REFERENCE / "schema").glob("*.json")
        if path.name != "openapi.json"
    }
    registry = jsonschema_rs.Registry(
        [(SCHEMA_BASE + name, schema) for name, schema in schemas.items()],
        draft=jsonschema_rs.Draft202012,
    )
    return {
        name: jsonschema_rs.Draft202012Validator(
            schema, registry=registry, validate_formats=True, base_uri=SCHEMA_BASE + name
        )
        for name, schema in schemas.items()
    }


def _problems(validator: jsonschema_rs.Draft202012Validator, document: dict) -> list[str]:
    return [f"{error.instance_path}: {error.message}" for error in validator.iter_errors(document)]


@pytest.fixture
def small_portal(session):
    """An organisation with a phone, an address and formula-looking text, and its offer."""
    tricky = make_organisation(
        session, name="=HYPERLINK(\"http://evil\")", description="+31 6 12345678 @home",
        contact_phone="-06 1234", address="Kerkstraat 8, 8121 AB Olst", themes=("vervoer",),
    )  # fmt: skip
    make_listing(session, kind=ListingKind.OFFER, organisation_id=tricky.id, place="Wijhe",
                 title="@rijdienst", themes=("vervoer",), cost="=1+1", capacity=4,
                 weekly_slots=("tue-morning", "thu-evening"))  # fmt: skip
    session.flush()
    return session


@pytest.fixture
def seeded(session, small_portal):
    """The demo portal (every kind of organisation and listing) plus the tricky organisation."""
    seed_demo(session)
    session.flush()
    return session


def test_the_validators_check_formats_and_follow_references(validators):
    """The schema checks below mean something: bad formats and bad referenced parts fail."""
    service = {"id": str(uuid.uuid4()), "name": "Rijdienst", "status": "active"}
    assert _problems(validators["service.json"], service) == []
    assert _problems(validators["service.json"], {**service, "id": "geen-uuid"})
    broken_attribute = {"taxonomy_term_id": str(uuid.uuid4())}  # attribute.json requires `id`
    assert _problems(validators["service.json"], {**service, "attributes": [broken_attribute]})


def test_export_json_validates_against_official_schemas(seeded, validators):
    document = hsds.to_json(hsds.build_export(seeded, BASE_URL, utcnow()))
    assert document["organizations"] and document["services"]
    for key, schema in (("organizations", "organization.json"), ("services", "service.json"),
                        ("taxonomies", "taxonomy.json"), ("taxonomy_terms", "taxonomy_term.json")):  # fmt: skip
        for item in document[key]:
            assert _problems(validators[schema], item) == [], item


def test_export_tables_validate_row_by_row(small_portal, validators):
    export = hsds.build_export(small_portal, BASE_URL, utcnow())
    for table, rows in export.tables.items():
        for row in rows:
            compact = {key: value for key, value in row.items() if value is not None}
            assert _problems(validators[ROW_SCHEMAS[table]], compact) == [], (table, row)


def test_datapackage_follows_the_reference_tables(small_portal):
    reference = json.loads((REFERENCE / "datapackage.json").read_text(encoding="utf-8"))
    official = {r["name"]: r for r in reference["resources"]}
    ours = hsds.datapackage(hsds.build_export(small_portal, BASE_URL, utcnow()))
    assert ours["profile"] == "tabular-data-package"
    for resource in ours["resources"]:
        expected = official[resource["name"]]
        assert resource["path"] == expected["path"]
        assert [f["name"] for f in resource["schema"]["fields"]] == [
            f["name"] for f in expected["schema"]["fields"]
        ]
        types = {f["name"]: f["type"] for f in expected["schema"]["fields"]}
        assert all(f["type"] == types[f["name"]] for f in resource["schema"]["fields"])


def test_export_package_files_match_the_datapackage(small_portal):
    files = hsds.package_files(hsds.build_export(small_portal, BASE_URL, utcnow()))
    descriptor = json.loads(files["datapackage.json"])
    for resource in descriptor["resources"]:
        header = next(csv.reader(io.StringIO(files[resource["path"]].decode("utf-8"))))
        assert header == [f["name"] for f in resource["schema"]["fields"]]


def test_export_leaves_out_needs_drafts_hidden_and_residents_offers(session):
    organisation = make_organisation(session)
    shown = make_listing(session, kind=ListingKind.OFFER, organisation_id=organisation.id,
                         title="Zaal te huur")  # fmt: skip
    make_listing(session, kind=ListingKind.RESOURCE, organisation_id=organisation.id, title="Bus")
    make_listing(session, kind=ListingKind.NEED, organisation_id=organisation.id, title="Vraag")
    make_listing(session, kind=ListingKind.OFFER, organisation_id=organisation.id, title="Concept",
                 status=ListingStatus.DRAFT)  # fmt: skip
    hidden = make_listing(session, kind=ListingKind.OFFER, organisation_id=organisation.id,
                          title="Verborgen")  # fmt: skip
    hidden.hidden = True
    make_listing(session, kind=ListingKind.OFFER, title="Van een bewoner")
    session.flush()
    names = {
        row["name"] for row in hsds.build_export(session, BASE_URL, utcnow()).tables["service"]
    }
    assert names == {shown.title, "Bus"}


def test_export_shows_public_points_never_exact_ones(session):
    organisation = make_organisation(session, place="Olst")
    listing = make_listing(session, kind=ListingKind.OFFER, organisation_id=organisation.id,
                           point=(52.3512345, 6.1198765))  # fmt: skip
    export = hsds.build_export(session, BASE_URL, utcnow())
    points = {(row["latitude"], row["longitude"]) for row in export.tables["location"]}
    assert (listing.public_lat, listing.public_lon) in points
    assert (listing.lat, listing.lon) not in points
    assert (listing.lat, listing.lon) != (listing.public_lat, listing.public_lon)


def test_export_ids_are_stable_and_differ_per_portal(small_portal):
    first = hsds.build_export(small_portal, BASE_URL, utcnow()).tables
    again = hsds.build_export(small_portal, BASE_URL, utcnow()).tables
    other = hsds.build_export(small_portal, "https://andere-gemeente.example.nl", utcnow()).tables
    ids = [row["id"] for row in first["organization"]]
    assert ids == [row["id"] for row in again["organization"]]
    assert not set(ids) & {row["id"] for row in other["organization"]}
    organisation = small_portal.scalars(select(Organisation).order_by(Organisation.id)).first()
    assert ids[0] == str(uuid.uuid5(hsds.namespace(BASE_URL), f"organisation/{organisation.id}"))


FULL_WIDTH = ["\uff1dSUM(A1)", "\uff0b31 6", "\uff0d2", "\uff20cmd", "'\uff1dquoted"]


@pytest.mark.parametrize(
    "value",
    [
        "=SUM(A1)",
        "+31 6",
        "-2",
        "@cmd",
        "'=quoted",
        "''+x",
        "'plain",
        "plain",
        "",
        "a=b",
        *FULL_WIDTH,
    ],
)
def test_neutralise_and_restore_round_trip_exactly(value):
    guarded = hsds.neutralise(value)
    assert not guarded.startswith(("=", "+", "-", "@", "＝", "＋", "－", "＠"))
    assert hsds.restore(guarded) == value


@pytest.mark.parametrize("value", FULL_WIDTH[:4])
def test_full_width_formulas_are_neutralised_too(value):
    assert hsds.neutralise(value) == "'" + value


def test_csv_export_neutralises_formulas_and_import_restores_them(small_portal):
    files = hsds.package_files(hsds.build_export(small_portal, BASE_URL, utcnow()))
    organisations = list(csv.DictReader(io.StringIO(files["organizations.csv"].decode("utf-8"))))
    tricky = next(row for row in organisations if "HYPERLINK" in row["name"])
    assert tricky["name"] == '\'=HYPERLINK("http://evil")'
    assert tricky["description"] == "'+31 6 12345678 @home"
    services = list(csv.DictReader(io.StringIO(files["services.csv"].decode("utf-8"))))
    assert any(
        row["name"] == "'@rijdienst" and row["fees_description"] == "'=1+1" for row in services
    )
    source = importer.read_upload(_zip(files), "pakket.zip")
    table = source.tables["organization"]
    assert any(row["name"] == '=HYPERLINK("http://evil")' for _n, row in table.rows)


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(f"export/{name}", content)
    return buffer.getvalue()


def _snapshot(session) -> tuple[dict, dict]:
    """The key fields of what the export carries, by name and title."""
    organisations = {
        o.name: (
            o.kind, o.description, o.address, o.website, o.contact_email, o.contact_phone,
            o.place_key, o.place_name, o.municipality, o.public_lat, o.public_lon,
            sorted(t.slug for t in o.themes),
            tuple(getattr(o, flag) for flag in hsds.ACCESSIBILITY),
        )
        for o in session.scalars(select(Organisation))
    }  # fmt: skip
    listings = {
        item.title: (
            item.kind, item.description, item.organisation.name, sorted(t.slug for t in item.themes),
            item.place_key, item.place_name, item.municipality, item.public_lat, item.public_lon,
            item.radius_km, item.cost, item.age_min, item.age_max, item.capacity,
            list(item.weekly_slots), item.event_date, item.access_route, item.area_kind,
            list(item.area_places),
        )
        for item in hsds.exported_listings(session)
    }  # fmt: skip
    return organisations, listings


def test_hsds_round_trip_into_an_empty_portal(seeded):
    before = _snapshot(seeded)
    package = hsds.package_zip(hsds.build_export(seeded, BASE_URL, utcnow()))
    clear_tables()
    officer = make_user(seeded, role=Role.OFFICER)
    report = importer.run_import(
        seeded, importer.read_upload(package, "hsds.zip"), officer, utcnow()
    )
    assert report.errors == [] and report.imported, report.lines()
    assert report.organisations == len(before[0]) and report.listings == len(before[1])
    assert _snapshot(seeded) == before
    assert len(before[0]) >= 9 and len(before[1]) >= 6
    published = seeded.scalars(select(Listing).where(Listing.status == ListingStatus.PUBLISHED))
    assert all(listing.owner_id == officer.id for listing in published)
