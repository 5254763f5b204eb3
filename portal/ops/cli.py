"""Operations commands: the mail worker, backup and restore, and synthetic data for benchmarks.

Like the other commands they parse arguments, call the domain and print; long runs show a
progress bar with the time left, so an operator can tell a slow job from a stuck one.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import click
from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from ..domain.mailing import outbox
from ..extensions import db
from ..jobs.mailer import mail_settings
from ..models.base import utcnow
from . import backup as backups


class _ProgressBar:
    """A click progress bar that learns its length from the first report.

    The domain reports (done, total) as it goes; the bar shows the rate and the time left.
    """

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar = None
        self.shown = 0

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=max(total, 1), label=self.label, show_eta=True)
            self.bar.__enter__()
        self.bar.update(done - self.shown)
        self.shown = done

    def __enter__(self) -> _ProgressBar:
        return self

    def __exit__(self, *exc_info) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc_info)


def _analyze() -> None:
    """Refresh the planner's statistics after a bulk load.

    Until autovacuum gets to it, PostgreSQL plans against an empty table; on 100,000 fresh
    listings that made list and map queries four times slower.
    """
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("ANALYZE"))


def _rounds(loop: bool, pause: float, max_seconds: float) -> Iterator[int]:
    """One round, or rounds `pause` seconds apart until `max_seconds` have passed."""
    deadline = time.monotonic() + max_seconds
    number = 0
    while True:
        yield number
        number += 1
        if not loop or time.monotonic() + pause > deadline:
            return
        time.sleep(pause)


def _delivery_round(limit: int, keep_days: int) -> str:
    """Deliver what is due, forget mail sent long ago, and say what still waits."""
    now = utcnow()
    report = outbox.deliver_due(db.session, mail_settings(), now, limit=limit)
    purged = outbox.purge_sent(db.session, now - timedelta(days=keep_days))
    db.session.commit()
    waiting = outbox.state(db.session)
    db.session.rollback()
    return (
        f"Verzonden: {report.sent}. Mislukt (volgt opnieuw): {report.failed}. "
        f"Wacht nog: {waiting.waiting}. Opgeruimd: {purged}."
    )


@click.command("send-mail")
@click.option("--loop", is_flag=True, help="Blijf draaien: bezorgen, wachten, opnieuw.")
@click.option("--sleep", "pause", default=10.0, show_default=True, help="Seconden tussen rondes.")
@click.option(
    "--max-seconds",
    default=3600.0,
    show_default=True,
    help="Stop de lus na zoveel seconden (de supervisor start hem opnieuw).",
)
@click.option("--limit", default=100, show_default=True, help="Hoogstens zoveel mails per ronde.")
@click.option("--keep-days", default=7, show_default=True, help="Verzonden mail zo lang bewaren.")
def send_mail(loop: bool, pause: float, max_seconds: float, limit: int, keep_days: int) -> None:
    """Deliver the mail waiting in the outbox (cron every minute, or --loop as a service)."""
    for _ in _rounds(loop, pause, max_seconds):
        try:
            click.echo(_delivery_round(limit, keep_days))
        except OperationalError as error:
            db.session.rollback()
            if not loop:
                raise click.ClickException("De database is niet bereikbaar.") from error
            click.echo("De database is niet bereikbaar; volgende ronde opnieuw.", err=True)


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(file: Path) -> None:
    """Write a portable backup (zip with JSON per table) of the whole database."""
    with _ProgressBar("Backup") as progress:
        summary = backups.dump(db.engine, db.metadata, file, progress)
    click.echo(
        f"Backup geschreven naar {file}: {summary.rows} rijen uit {len(summary.tables)} tabellen."
    )


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(file: Path) -> None:
    """Load a backup into an EMPTY database (run `db upgrade` first); refuses otherwise."""
    try:
        with _ProgressBar("Terugzetten") as progress:
            summary = backups.restore(db.engine, db.metadata, file, progress)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    _analyze()
    click.echo(f"Teruggezet uit {file}: {summary.rows} rijen in {len(summary.tables)} tabellen.")


@click.command("seed-synthetic")
@click.option("--listings", default=1000, show_default=True, type=click.IntRange(min=0))
@click.option(
    "--volunteers", default=None, type=click.IntRange(min=0), help="Standaard: zoveel als listings."
)
@click.option(
    "--organisations", default=None, type=click.IntRange(min=0), help="Standaard: 1 % van listings."
)
@click.option("--seed", default=1, show_default=True, help="Dezelfde seed geeft dezelfde gegevens.")
def seed_synthetic(
    listings: int, volunteers: int | None, organisations: int | None, seed: int
) -> None:
    """Add a large, realistic synthetic data set over the Dutch gazetteer (for benchmarks)."""
    from . import synthetic

    with _ProgressBar("Synthetische gegevens") as progress:
        counts = synthetic.generate(
            db.session,
            listings=listings,
            volunteers=volunteers,
            organisations=organisations,
            seed=seed,
            progress=progress,
        )
    db.session.commit()
    _analyze()
    click.echo(
        f"Toegevoegd: {counts.listings} berichten, {counts.volunteers} vrijwilligers, "
        f"{counts.organisations} organisaties."
    )


def register(app: Flask) -> None:
    """Add the operations commands to `flask --app wsgi …`."""
    for command in (send_mail, backup_command, restore_command, seed_synthetic):
        app.cli.add_command(command)
