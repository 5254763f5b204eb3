"""Re-filing rows saved under the old gazetteer: from their point, or from their name when
their key is gone."""

from __future__ import annotations

from portal.domain.places.gazetteer import default_gazetteer
from portal.domain.places.refiling import REFILED, UNCHANGED, UNKNOWN, refile_places
from portal.models import Wish
from tests.factories import make_listing, make_organisation, make_volunteer

ROGGEL = default_gazetteer().get("gn:2747990")
HATERT = default_gazetteer().get("gn:2754773")
#: The point the old build estimated for Roggel, Neer and Heibloem alike.
OLD_ESTIMATE = (51.24300, 5.92780)


def _as_old_build(row, key: str, name: str, point: tuple[float, float] | None = None) -> None:
    row.place_key, row.place_name = key, name
    if point is not None:
        row.lat, row.lon = point
        row.public_lat, row.public_lon = point


def test_a_clicked_point_filed_under_the_wrong_village_moves_to_its_own(session):
    """A resident clicked her house in Roggel; the old build filed it under Heythuysen."""
    listing = make_listing(session, point=(51.26340, 5.92410))
    _as_old_build(listing, "gn:2754111", "Heythuysen")
    listing.public_lat, listing.public_lon = 51.25, 5.89861

    report = refile_places(session)

    assert report["vraag en aanbod"][REFILED] == 1
    assert (listing.place_key, listing.place_name, listing.municipality) == (
        ROGGEL.key,
        "Roggel",
        "Leudal",
    )
    assert (listing.lat, listing.lon) == (51.26340, 5.92410)  # the exact point stays
    assert (listing.public_lat, listing.public_lon) == (round(ROGGEL.lat, 4), round(ROGGEL.lon, 4))


def test_a_typed_village_the_old_build_only_estimated_is_resolved_from_its_name(session):
    profile = make_volunteer(session, place="Neer")
    _as_old_build(profile, "pp:6086", "Roggel", OLD_ESTIMATE)
    profile.municipality = "Leudal"

    report = refile_places(session)

    assert report["vrijwilligers"][REFILED] == 1
    assert profile.place_key == ROGGEL.key and profile.place_name == "Roggel"
    assert (profile.lat, profile.lon) == (ROGGEL.lat, ROGGEL.lon)
    assert (profile.public_lat, profile.public_lon) == (round(ROGGEL.lat, 4), round(ROGGEL.lon, 4))


def test_an_organisation_in_a_district_keeps_its_public_address(session):
    address = (51.80500, 5.83100)
    organisation = make_organisation(session, place="Nijmegen")
    _as_old_build(organisation, "gn:2750053", "Nijmegen", address)

    refile_places(session)

    assert (organisation.place_key, organisation.place_name) == (HATERT.key, "Hatert")
    assert (organisation.public_lat, organisation.public_lon) == address


def test_rows_already_right_are_unchanged(session):
    make_listing(session, place="Lierderholthuis")
    report = refile_places(session)
    assert report["vraag en aanbod"] == {UNCHANGED: 1}


def test_wishes_are_refiled_by_name_and_unknown_names_stay(session):
    lierderholthuis = Wish(
        body="Een bankje bij de kerk", place_key="pp:8144", place_name="Lierderholthuis",
        municipality="Raalte",
    )  # fmt: skip
    atlantis = Wish(body="Iets", place_key="pp:0000", place_name="Atlantis", municipality="Zee")
    session.add_all([lierderholthuis, atlantis])
    session.flush()

    report = refile_places(session)

    assert report["wensen"] == {REFILED: 1, UNKNOWN: 1}
    assert lierderholthuis.place_key == "gn:2751637"
    assert atlantis.place_key == "pp:0000"


def test_refile_command_prints_what_it_did(app, session):
    make_listing(session, place="Heino")
    session.commit()
    result = app.test_cli_runner().invoke(args=["refile-places"])
    assert result.exit_code == 0, result.output
    assert f"vraag en aanbod: {UNCHANGED} 1" in result.output
    assert "wensen: geen" in result.output
