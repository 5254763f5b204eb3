"""Every page reads in English when English is chosen: no Dutch interface words left.

Pages come from the authorisation matrix (every GET route that answers a role with a page), so
a new page is checked when it is added. Names and what people wrote are taken out first; what
stays must be the interface, and it must not contain common Dutch words.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests.factories import DEFAULT_PASSWORD

from .test_authorisation import ROLES, ROUTES, _scenario

#: Words that are Dutch and not English: one of them in an English page is a leftover.
DUTCH = frozenset(
    """het een niet voor naar wat wie uw zijn worden kunt heeft deze alle geen nog ook bij uit
    dat die dit wordt meer hier waar wanneer vraag aanbod dorp gemeente opslaan verwijderen
    zoeken inloggen uitloggen registreren wachtwoord gegevens bewoners vrijwilliger kies vul
    klik terug naam plaats thema organisatie gesprekken meldingen toegankelijkheid kaart lijst
    zelfde dorpen wijk wijken geplaatst bekijk bericht berichten gebruiker gebruikers""".split()
)
#: What the scenario's people wrote or are called (user content stays as written).
CONTENT = re.compile(
    r"Ik help graag|Een bankje bij de kerk|Klopt niet|need in Roggel|Andere club|Nieuwe naam|"
    r"kulturhus Olst|\w+ \w+@\S+|Roggel|Olst|Leudal|Olst-Wijhe|Naoberkaart|Nederlands|"
    r"https?://\S+|/[\w/.-]+"  # addresses are not words
)


class _Text(HTMLParser):
    """The visible text of a page (no scripts, styles or attributes)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs) -> None:
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag) -> None:
        self._skip -= tag in ("script", "style") and self._skip > 0

    def handle_data(self, data) -> None:
        if not self._skip:
            self.parts.append(data)


def _pages() -> list[tuple[str, str]]:
    """(path template, a role that gets the page) for every GET route that answers with a page."""
    found = []
    for (endpoint, method), (path, statuses) in sorted(ROUTES.items()):
        if method != "GET" or endpoint == "static" or ".json" in path or "api/v1" in path:
            continue
        role = next((role for role in reversed(ROLES) if statuses.get(role) == 200), None)
        if role is not None:
            found.append((path, role))
    return found


def dutch_words(html: str, names: list[str]) -> set[str]:
    parser = _Text()
    parser.feed(html)
    text = CONTENT.sub(" ", " ".join(parser.parts))
    for name in names:
        text = text.replace(name, " ")
    return {word for word in re.findall(r"[a-zà-ÿ']+", text.lower()) if word in DUTCH}


@pytest.mark.parametrize(("path", "role"), _pages())
def test_every_page_reads_in_english(app, session, path, role):
    world = _scenario(session)
    client = app.test_client()
    if role != "anonymous":
        user = world["actors"][role]
        client.post("/inloggen", data={"email": user.email, "password": DEFAULT_PASSWORD})
    client.set_cookie("taal", "en")
    response = client.get(path.format(**world["ids"]))
    if not response.mimetype.startswith("text/html"):
        pytest.skip(f"{path} is not a page")
    names = [actor.display_name for actor in world["actors"].values()]
    assert dutch_words(response.text, names) == set(), path


def test_the_map_credit_follows_the_language(client, session):
    assert "Kaartgegevens" in client.get("/kaart").text
    client.set_cookie("taal", "en")
    english = client.get("/kaart").text
    assert "Map data" in english and "Kaartgegevens" not in english
