"""Result-list cards: the public fields of listings, read as plain values in the asked order."""

from __future__ import annotations

from portal.caching import reads as read_cache
from portal.domain.catalogue.cards import listing_cards
from portal.models import ListingKind
from tests.factories import make_listing, make_organisation, make_theme


def test_cards_keep_the_order_of_the_ids_and_skip_unknown_ones(session):
    first, second = make_listing(session, title="Eerste"), make_listing(session, title="Tweede")
    session.commit()
    themes = read_cache.themes(session)
    cards = listing_cards(session, [second.id, 999_999, first.id], themes)
    assert [card.title for card in cards] == ["Tweede", "Eerste"]
    assert listing_cards(session, [], themes) == []


def test_a_card_shows_what_the_listing_shows_and_only_the_public_point(session):
    organisation = make_organisation(session, name="Kulturhus Olst", verified=True)
    session.flush()
    listing = make_listing(
        session,
        kind=ListingKind.OFFER,
        place="Olst",
        themes=("vervoer", "klussen"),
        organisation_id=organisation.id,
        description="Wij rijden naar de huisarts.",
    )
    make_theme(session, "dagbesteding")
    session.commit()
    themes = read_cache.themes(session)
    (card,) = listing_cards(session, [listing.id], themes)
    assert (card.id, card.kind, card.title, card.description) == (
        listing.id, ListingKind.OFFER, listing.title, "Wij rijden naar de huisarts.",
    )  # fmt: skip
    assert (card.place_name, card.municipality) == (listing.place_name, listing.municipality)
    assert (card.public_lat, card.public_lon) == (listing.public_lat, listing.public_lon)
    assert not hasattr(card, "lat") and not hasattr(card, "lon")
    assert card.confirmed_at == listing.confirmed_at
    assert (card.organisation.name, card.organisation.verified) == ("Kulturhus Olst", True)
    display_order = [theme.slug for theme in themes if theme.slug in {"vervoer", "klussen"}]
    assert [theme.slug for theme in card.themes] == display_order


def test_a_card_without_organisation_or_themes(session):
    listing = make_listing(session, themes=())
    session.commit()
    (card,) = listing_cards(session, [listing.id], read_cache.themes(session))
    assert card.organisation is None and card.themes == ()


def test_listings_and_organisations_list_their_themes_in_display_order_as_cards_do(session):
    listing = make_listing(session, themes=("vervoer", "klussen"))
    organisation = make_organisation(session, themes=("vervoer", "klussen"))
    session.commit()
    session.expire_all()
    display_order = [theme.slug for theme in read_cache.themes(session)]
    assert display_order.index("klussen") < display_order.index("vervoer")
    assert [theme.slug for theme in listing.themes] == ["klussen", "vervoer"]
    assert [theme.slug for theme in organisation.themes] == ["klussen", "vervoer"]
