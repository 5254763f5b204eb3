"""Command-line tasks: they parse arguments, call the domain, and print."""

from __future__ import annotations

import sys

import click
from flask import Flask

from .domain.errors import FieldError
from .domain.identity import accounts
from .extensions import db
from .models import Role, User
from .models.base import utcnow


def _read_password() -> str:
    """From a prompt on a terminal, or the first line of standard input in scripts."""
    if sys.stdin.isatty():
        return click.prompt("Wachtwoord", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\n")


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice([role.value for role in Role]), default="resident")
@click.option("--name", "display_name", default="", help="Naam zoals anderen die zien.")
def create_user(email: str, role: str, display_name: str) -> None:
    """Create an account, e.g. the first admin: create-user EMAIL --role admin."""
    new = accounts.NewAccount(
        email=email,
        password=_read_password(),
        display_name=display_name or email.split("@", maxsplit=1)[0],
    )
    try:
        user = accounts.register(db.session, new)
    except FieldError as error:
        raise click.ClickException(error.message) from error
    if user is None:
        raise click.ClickException(f"Er is al een account met e-mailadres {email}.")
    accounts.confirm_email(user)  # the operator vouches for the address
    accounts.grant_role(user, Role(role))
    db.session.commit()
    click.echo(f"Account {user.email} aangemaakt met rol {role}.")


@click.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice([role.value for role in Role]))
def set_role(email: str, role: str) -> None:
    """Give an existing account another role (for example officer)."""
    user: User | None = accounts.find_user(db.session, email)
    if user is None:
        raise click.ClickException(f"Geen account met e-mailadres {email}.")
    accounts.grant_role(user, Role(role))
    db.session.commit()
    click.echo(f"{user.email} heeft nu de rol {role}.")


@click.command("seed-demo")
def seed_demo() -> None:
    """Load the demo: real places, every role, theme and kind of listing (safe to run twice)."""
    from .ops.seed import seed_demo as run

    summary = run(db.session)
    db.session.commit()
    click.echo("Demo geladen: " + ", ".join(f"{name} {count}" for name, count in summary.items()))


@click.command("refile-places")
def refile_places() -> None:
    """Re-file listings, volunteers, organisations and wishes under the current gazetteer."""
    from .domain.places.refiling import refile_places as run

    report = run(db.session)
    db.session.commit()
    for kind, outcomes in report.items():
        counts = ", ".join(f"{outcome} {count}" for outcome, count in sorted(outcomes.items()))
        click.echo(f"{kind}: {counts or 'geen'}")


@click.command("freshness")
def freshness_round() -> None:
    """For cron (daily): remind owners of listings going stale, expire overdue listings."""
    from .jobs.reminders import run_freshness_round

    reminded, expired = run_freshness_round(utcnow())
    click.echo(f"Herinneringen verstuurd: {reminded}. Verlopen: {expired}.")


@click.command("cleanup")
def cleanup() -> None:
    """For cron (daily): remove old listings, warn and later remove inactive accounts."""
    from .jobs.retention import run_cleanup

    result = run_cleanup(utcnow())
    click.echo(
        f"Verwijderd: {result.listings_removed} oude berichten, {result.accounts_removed} accounts. "
        f"Gewaarschuwd: {result.accounts_warned} accounts."
    )


@click.command("send-digests")
def send_digests() -> None:
    """For cron (daily or weekly): new needs for volunteers, new listings for subscribers, and
    the outcome question two weeks after contact. Nothing is sent twice."""
    from .jobs.digests import run_digests

    result = run_digests(utcnow())
    click.echo(
        f"Vrijwilligers: {result.volunteers}, volgers: {result.subscribers}, "
        f"uitkomstvragen: {result.outcome_questions}."
    )


def register(app: Flask) -> None:
    """Add the commands to `flask --app wsgi …`."""
    commands = (create_user, set_role, seed_demo, refile_places, freshness_round, cleanup,
                send_digests)  # fmt: skip
    for command in commands:
        app.cli.add_command(command)
