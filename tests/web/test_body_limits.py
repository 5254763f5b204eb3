"""Request bodies are bounded: a few hundred KB everywhere, the officer's import more (issue 18,
item 3)."""

from __future__ import annotations

import io
import re

import pytest

from config import TestConfig
from portal import create_app
from portal.domain.catalogue.themes import seed_themes
from portal.extensions import db
from portal.i18n import LANGUAGE_COOKIE
from portal.models import Role
from tests.factories import DEFAULT_PASSWORD, make_user

TOO_BIG = b"x" * (600 * 1024)  # over the general limit, under the import's
IMPORT = "/dashboard/open-data/importeren"


def _multipart(**fields: bytes) -> bytes:
    parts = [
        b'--x\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n' % (name.encode(), value)
        for name, value in fields.items()
    ]
    return b"".join(parts) + b"--x--\r\n"


def test_anonymous_big_post_to_login_gets_the_dutch_413_page(client):
    body = _multipart(email=b"a@example.org", password=b"x", bulk=TOO_BIG)
    response = client.post("/inloggen", data=body, content_type="multipart/form-data; boundary=x")
    assert response.status_code == 413
    assert "Dit is te veel om in één keer te versturen" in response.text
    assert "Foutcode" in response.text


def test_a_body_is_refused_by_its_declared_length_before_it_is_read(client):
    class Unreadable(io.BytesIO):
        def read(self, *args) -> bytes:
            raise AssertionError("the body was read")

        readline = readinto = read

    response = client.post(
        "/inloggen",
        input_stream=Unreadable(),
        environ_overrides={"CONTENT_LENGTH": str(1024**3)},  # 1 GB announced
        content_type="multipart/form-data; boundary=x",
    )
    assert response.status_code == 413


def test_the_413_page_is_in_english_too(client):
    client.set_cookie(LANGUAGE_COOKIE, "en")
    response = client.post("/flessenpost", data={"body": TOO_BIG.decode()})
    assert response.status_code == 413
    assert "Dit is te veel" not in response.text and "<h1>" in response.text


@pytest.fixture
def strict(app, session, tmp_path):
    """The CSRF check on, as in production: it reads the body before any view runs."""
    config = TestConfig(tmp_path)
    config.SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
    config.WTF_CSRF_ENABLED = True
    strict = create_app(config)
    yield strict
    with strict.app_context():
        db.engine.dispose()


def _token(client, path: str) -> bytes:
    return re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', client.get(path).data).group(1)


def _import(client, content: bytes, token: bytes = b""):
    """A dry run of the import, as raw multipart (the test client would spool it to a file)."""
    upload = b'--x\r\nContent-Disposition: form-data; name="upload"; filename="organisaties.csv"'
    body = upload + b"\r\nContent-Type: text/csv\r\n\r\n" + content + b"\r\n"
    body += _multipart(dry_run=b"y", csrf_token=token)
    return client.post(IMPORT, data=body, content_type="multipart/form-data; boundary=x")


def _big_csv() -> bytes:
    """One good row and six unknown columns of 100 KB each (CSV fields stay under 128 KB)."""
    notes = [f"notitie{number}" for number in range(6)]
    header = ",".join(["naam", "soort", "plaats", "themas", *notes])
    row = ",".join(
        ["Dorpshuis De Pol", "dorpshuis", "Roggel", "dagbesteding", *["x" * 100_000] * 6]
    )
    return f"{header}\n{row}\n".encode()


def test_the_import_takes_a_file_larger_than_the_general_limit(strict, session):
    seed_themes(session)
    officer = make_user(session, Role.OFFICER)
    session.commit()
    client = strict.test_client()
    login = {"email": officer.email, "password": DEFAULT_PASSWORD}
    login["csrf_token"] = _token(client, "/inloggen").decode()
    assert client.post("/inloggen", data=login).status_code == 302
    content = _big_csv()
    assert len(content) > strict.config["MAX_CONTENT_LENGTH"]
    response = _import(client, content, _token(client, "/dashboard/open-data"))
    assert response.status_code == 200, response.text
    assert "nog niets geïmporteerd" in response.text


def test_the_import_limit_is_not_for_anonymous_senders(strict):
    assert _import(strict.test_client(), _big_csv()).status_code == 413
