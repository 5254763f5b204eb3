"""Register, log in and out, and reset a forgotten password."""

from __future__ import annotations

import hashlib

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user

from ..domain.errors import FieldError
from ..domain.identity import accounts
from ..extensions import db, limiter, login_manager
from ..i18n import translate
from ..jobs.mailer import send_template
from ..links import external_url
from ..models import OrganisationKind, Role, User
from ..models.base import utcnow
from ..redirects import safe_next
from .forms import ForgotPasswordForm, LoginForm, RegisterForm, ResetPasswordForm

bp = Blueprint("auth", __name__)
AUTH_LIMIT = "10 per minute;50 per hour"
#: Failed logins are counted per account (whatever address they come from, so an attack spread
#: over many addresses is slowed) and per address (generously: an office or a library shares
#: one address, and one person there must not lock the others out). Successful logins do not
#: count. The counts live in Redis when REDIS_URL is set (RATELIMIT_STORAGE_URI), so every
#: worker sees the same ones.
ACCOUNT_FAILURES = "5 per 5 minutes;20 per hour"
ADDRESS_FAILURES = "30 per minute;300 per hour"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Accept the session only while its version is the user's current one."""
    identifier, _sep, version = user_id.partition(":")
    if not identifier.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(identifier))
    if user is None or user.session_version != int(version):
        return None
    return user


def _start_session(user: User, remember: bool = False) -> None:
    session.clear()
    login_user(user, remember=remember)


@bp.route("/registreren", methods=["GET", "POST"])
@limiter.limit(AUTH_LIMIT, methods=["POST"])
def register():
    """A new resident or organisation account; the same answer whether or not the address has
    one (a new account gets a confirmation link, the owner of an existing one a warning)."""
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = accounts.register(db.session, _new_account(form))
        except FieldError as error:
            form[error.field].errors.append(translate(error.message))
        else:
            _send_registration_mail(user, form.email.data)
            db.session.commit()
            return redirect(url_for("auth.check_mail"))
    return render_template("auth/register.html", form=form), 400 if form.errors else 200


def _send_registration_mail(user: User | None, email: str) -> None:
    """The confirmation link, or (the address has an account) a note to its owner."""
    if user is None:
        send_template(
            accounts.normalise_email(email), _("Aanmelding bij Naoberkaart"),
            "mail/already_registered.txt", login=external_url("auth.login"),
            forgot=external_url("auth.forgot_password"),
        )  # fmt: skip
        return
    token = accounts.confirmation_token(user, current_app.config["SECRET_KEY"])
    send_template(
        user.email, _("Bevestig uw e-mailadres voor Naoberkaart"), "mail/confirm_email.txt",
        user=user, link=external_url("auth.confirm_email", token=token),
        hours=current_app.config["EMAIL_CONFIRM_MAX_AGE"] // 3600,
    )  # fmt: skip


@bp.get("/registreren/kijk-in-uw-mail")
def check_mail():
    """What every registration answers: the next step is in the mail."""
    return render_template("auth/check_mail.html")


@bp.route("/registreren/bevestigen/<token>", methods=["GET", "POST"])
@limiter.limit(AUTH_LIMIT, methods=["POST"])
def confirm_email(token: str):
    """The link in the registration mail: one button (mail scanners change nothing), then in."""
    config = current_app.config
    user = accounts.user_for_confirmation_token(
        db.session, token, config["SECRET_KEY"], config["EMAIL_CONFIRM_MAX_AGE"]
    )
    if user is None or not user.active:
        return render_template("auth/confirm_invalid.html"), 400
    if request.method == "GET":
        return render_template("auth/confirm.html", user=user)
    accounts.confirm_email(user)
    db.session.commit()
    _start_session(user)
    flash(_("Welkom bij Naoberkaart! Uw account is klaar."), "success")
    return redirect(url_for("main.home"))


def _new_account(form: RegisterForm) -> accounts.NewAccount:
    is_organisation = form.account_type.data == "organisation"
    return accounts.NewAccount(
        email=form.email.data,
        password=form.password.data,
        display_name=form.display_name.data,
        role=Role.ORGANISATION if is_organisation else Role.RESIDENT,
        organisation_name=(form.organisation_name.data or "").strip(),
        organisation_kind=OrganisationKind(form.organisation_kind.data)
        if is_organisation
        else None,
    )


def _login_account() -> str:
    """The throttle's key for the account a login names (a digest: no addresses in Redis)."""
    email = accounts.normalise_email(request.form.get("email", ""))
    return "login-account:" + hashlib.sha256(email.encode()).hexdigest()[:32]


def _login_failed(response: Response) -> bool:
    """A login that did not succeed (a failed one answers 400 with the form)."""
    return response.status_code == 400


@bp.route("/inloggen", methods=["GET", "POST"])
@limiter.limit(ADDRESS_FAILURES, methods=["POST"], deduct_when=_login_failed)
@limiter.limit(
    ACCOUNT_FAILURES, key_func=_login_account, methods=["POST"], deduct_when=_login_failed
)
def login():
    """Log in; the same message for an unknown address and a wrong password."""
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(db.session, form.email.data, form.password.data)
        if user is not None:
            db.session.commit()
            _start_session(user, remember=form.remember.data)
            flash(_("U bent ingelogd."), "success")
            return redirect(safe_next(request.args.get("next")))
        form.password.errors.append(
            _(
                "Deze combinatie van e-mailadres en wachtwoord kennen we niet. Net aangemeld? "
                "Klik dan eerst op de link in de e-mail die we u stuurden."
            )
        )
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


@bp.post("/uitloggen")
@login_required
def logout():
    """Log out everywhere this session was copied to; API tokens stop working too."""
    revoked = accounts.log_out_everywhere(db.session, current_user, utcnow())
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("U bent uitgelogd."), "success")
    _tell_revoked(revoked)
    return redirect(url_for("main.home"))


def _tell_revoked(revoked: int) -> None:
    """Say that the API tokens stopped working, so a broken village website is no mystery."""
    if revoked:
        flash(
            ngettext(
                "Uw API-sleutel werkt niet meer. Maak zo nodig een nieuwe op ‘Mijn API-sleutels’.",
                "Uw %(num)s API-sleutels werken niet meer. Maak zo nodig nieuwe op ‘Mijn API-sleutels’.",
                revoked,
            ),
            "info",
        )


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@limiter.limit(AUTH_LIMIT, methods=["POST"])
def forgot_password():
    """Mail a reset link; the answer is the same whether or not the address is known."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = accounts.find_user(db.session, form.email.data)
        if user is not None and user.active:
            _send_reset_mail(user)
        else:  # the same work: one mail through the outbox, one commit
            _send_no_account_mail(form.email.data)
        db.session.commit()
        flash(
            _(
                "Als dit e-mailadres bij ons bekend is, ontvangt u binnen een paar minuten "
                "een e-mail met een link."
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form), 400 if form.errors else 200


def _send_no_account_mail(email: str) -> None:
    """Someone asked for a reset of an address without an account: tell whoever reads it."""
    send_template(
        accounts.normalise_email(email), _("Nieuw wachtwoord voor Naoberkaart"),
        "mail/no_account.txt", register=external_url("auth.register"),
    )  # fmt: skip


def _send_reset_mail(user: User) -> None:
    token = accounts.reset_token(user, current_app.config["SECRET_KEY"])
    send_template(
        user.email,
        _("Nieuw wachtwoord voor Naoberkaart"),
        "mail/password_reset.txt",
        user=user,
        link=external_url("auth.reset_password", token=token),
        minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60,
    )


@bp.route("/wachtwoord-herstellen/<token>", methods=["GET", "POST"])
@limiter.limit(AUTH_LIMIT, methods=["POST"])
def reset_password(token: str):
    """Choose a new password with a valid, unused link."""
    config = current_app.config
    user = accounts.user_for_reset_token(
        db.session, token, config["SECRET_KEY"], config["PASSWORD_RESET_MAX_AGE"]
    )
    if user is None:
        return render_template("auth/reset_invalid.html"), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            revoked = accounts.set_password(db.session, user, form.password.data, utcnow())
        except FieldError as error:
            form.password.errors.append(translate(error.message))
        else:
            db.session.commit()
            flash(_("Uw wachtwoord is veranderd. U kunt nu inloggen."), "success")
            _tell_revoked(revoked)
            return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form), 400 if form.errors else 200
