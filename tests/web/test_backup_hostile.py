"""A malformed or hostile backup: a clear message from `restore`, no traceback, bounded memory."""

from __future__ import annotations

import json
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.models import User
from portal.ops import backup

from ..factories import make_user


def _restore(app, path: Path):
    with app.app_context():
        return app.test_cli_runner().invoke(args=["restore", str(path)])


def _assert_refused(result, words: str) -> None:
    """Exit code 1, a message that says what is wrong, and no traceback."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert words in result.output, result.output


@pytest.fixture
def good_backup(app, session, tmp_path) -> Path:
    """A real backup of a database with one user; the database is emptied again afterwards."""
    make_user(session, display_name="Origineel")
    session.commit()
    path = tmp_path / "goed.zip"
    with app.app_context():
        assert app.test_cli_runner().invoke(args=["backup", str(path)]).exit_code == 0
    session.execute(User.__table__.delete())
    session.commit()
    return path


def _rewritten(source: Path, target: Path, changes: dict[str, bytes | None]) -> Path:
    """A copy of the backup with some members replaced (bytes) or left out (None)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for name in old.namelist():
            data = changes.get(name, old.read(name))
            if data is not None:
                new.writestr(name, data)
    return target


def test_restore_of_a_file_that_is_no_zip_says_so(app, session, tmp_path):
    path = tmp_path / "backup.zip"
    path.write_bytes(b"PK\x03\x04 dit is geen zip" * 100)
    _assert_refused(_restore(app, path), "geen leesbaar zipbestand")


@pytest.mark.parametrize(
    ("manifest", "words"),
    [
        (b"{niet json", "geen geldige JSON"),
        (b"[1, 2, 3]", "niet de vorm"),
        (b'{"format": "naoberkaart-backup", "version": 1, "tables": "alles"}', "niet de vorm"),
        (
            b'{"format": "naoberkaart-backup", "version": 1, "revision": null,'
            b' "tables": [{"name": "user", "columns": "id", "rows": -1}]}',
            "deze tabel klopt niet",
        ),
    ],
)
def test_restore_of_a_wrong_manifest_says_so(app, good_backup, tmp_path, manifest, words):
    path = _rewritten(good_backup, tmp_path / "fout.zip", {"manifest.json": manifest})
    _assert_refused(_restore(app, path), words)


@pytest.mark.parametrize(
    ("line", "words"),
    [
        (b"{kapot", "Tabel user, regel 1 is geen geldige JSON"),
        (b'{"id": 1}', "Tabel user, regel 1 heeft niet de"),
        (b"[1, 2]", "Tabel user, regel 1 heeft niet de"),
        (b"\xff\xfe", "Tabel user, regel 1 is geen geldige JSON"),
    ],
)
def test_restore_of_a_wrong_row_names_table_and_line(
    app, session, good_backup, tmp_path, line, words
):
    path = _rewritten(good_backup, tmp_path / "fout.zip", {"tables/user.jsonl": line + b"\n"})
    _assert_refused(_restore(app, path), words)
    assert session.scalar(select(func.count()).select_from(User)) == 0  # all or nothing


def test_restore_of_a_value_that_does_not_fit_its_column_says_so(
    app, session, good_backup, tmp_path
):
    with zipfile.ZipFile(good_backup) as archive:
        row = json.loads(archive.read("tables/user.jsonl").splitlines()[0])
    columns = [column.name for column in User.__table__.columns]
    row[columns.index("created_at")] = "gisteren"
    line = json.dumps(row).encode() + b"\n"
    path = _rewritten(good_backup, tmp_path / "fout.zip", {"tables/user.jsonl": line})
    _assert_refused(_restore(app, path), "een waarde past niet in haar kolom")


def test_restore_of_rows_the_database_refuses_says_so(app, session, good_backup, tmp_path):
    with zipfile.ZipFile(good_backup) as archive:
        line = archive.read("tables/user.jsonl").splitlines()[0] + b"\n"
    path = _rewritten(good_backup, tmp_path / "dubbel.zip", {"tables/user.jsonl": line * 2})
    _assert_refused(_restore(app, path), "Tabel user: de database weigert deze rijen")
    assert session.scalar(select(func.count()).select_from(User)) == 0


def test_restore_of_a_missing_table_file_says_so(app, good_backup, tmp_path):
    path = _rewritten(good_backup, tmp_path / "half.zip", {"tables/user.jsonl": None})
    _assert_refused(_restore(app, path), "Tabel user ontbreekt")


def test_restore_of_a_huge_line_stops_early_with_bounded_memory(app, good_backup, tmp_path):
    """A 64 MB line (a few kB in the zip) is refused after reading MAX_LINE_BYTES of it."""
    huge = b'["' + b"x" * (64 * 2**20) + b'"]\n'
    path = _rewritten(good_backup, tmp_path / "groot.zip", {"tables/user.jsonl": huge})
    del huge
    tracemalloc.start()
    try:
        result = _restore(app, path)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    _assert_refused(result, "Tabel user, regel 1 is langer dan")
    assert peak < 4 * backup.MAX_LINE_BYTES, peak


def test_restore_of_a_huge_manifest_is_refused(app, good_backup, tmp_path):
    manifest = b'{"tables": [' + b" " * (2 * backup.MAX_MANIFEST_BYTES) + b"]}"
    path = _rewritten(good_backup, tmp_path / "groot.zip", {"manifest.json": manifest})
    _assert_refused(_restore(app, path), "te groot")
