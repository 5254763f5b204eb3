"""`export-hsds DIR` and `import-csv FILE`: parse arguments, call the domain, print the report."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from sqlalchemy import select

from ..domain.errors import FieldError
from ..domain.exchange import hsds
from ..domain.exchange import importing as importer
from ..domain.identity.accounts import find_user
from ..extensions import db
from ..models import Role, User
from ..models.base import utcnow

#: Imports with more rows than this show a progress bar.
PROGRESS_FROM_ROWS = 100


@click.command("export-hsds")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def export_hsds(directory: Path) -> None:
    """Write the HSDS 3.0 CSV data package and hsds.json into DIRECTORY."""
    export = hsds.build_export(db.session, current_app.config["PUBLIC_BASE_URL"], utcnow())
    written = hsds.write_package(export, directory)
    counts = ", ".join(f"{table} {len(rows)}" for table, rows in export.tables.items())
    click.echo(f"{len(written)} bestanden geschreven in {directory}: {counts}.")


def _acting_user(email: str | None) -> User:
    """The officer named by --as, or the first admin: imported organisations need a manager."""
    if email:
        user = find_user(db.session, email)
        if user is None or not user.is_officer:
            raise click.ClickException(f"Geen medewerker of beheerder met e-mailadres {email}.")
        return user
    admin = db.session.scalar(select(User).where(User.role == Role.ADMIN).order_by(User.id))
    if admin is None:
        raise click.ClickException(
            "Er is nog geen beheerder. Maak er een met `create-user EMAIL --role admin` of geef --as."
        )
    return admin


def _run(source: importer.ImportSource, user: User, default_place: str, dry_run: bool):
    options = {
        "expiry_months": current_app.config["LISTING_EXPIRY_MONTHS"],
        "default_place": default_place,
        "dry_run": dry_run,
    }
    if source.size <= PROGRESS_FROM_ROWS:
        return importer.run_import(db.session, source, user, utcnow(), **options)
    with click.progressbar(length=2 * source.size, label="Controleren en importeren") as bar:
        return importer.run_import(
            db.session, source, user, utcnow(), progress=bar.update, **options
        )


@click.command("import-csv")
@click.argument("file", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--as",
    "email",
    default=None,
    help="E-mailadres van wie importeert (standaard: de eerste beheerder).",
)
@click.option(
    "--default-place",
    default="",
    help="Plaats voor HSDS-locaties die niet in Nederland te vinden zijn.",
)
@click.option("--dry-run", is_flag=True, help="Alleen controleren, niets importeren.")
def import_csv(file: Path, email: str | None, default_place: str, dry_run: bool) -> None:
    """Import FILE: our CSV template, or a directory or zip with an HSDS package. All or nothing."""
    user = _acting_user(email)
    try:
        report = _run(importer.read_path(file), user, default_place, dry_run)
    except (importer.ImportFileError, FieldError) as error:
        raise click.ClickException(str(error)) from error
    for line in report.lines():
        click.echo(line)
    if not report.ok:
        db.session.rollback()
        raise SystemExit(1)
    db.session.commit()


def register(app: Flask) -> None:
    """Add the open-data commands to `flask --app wsgi …`."""
    for command in (export_hsds, import_csv):
        app.cli.add_command(command)
