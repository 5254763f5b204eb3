"""Register, log in and out, and reset a forgotten password."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..domain import accounts
from ..domain.errors import FieldError
from ..extensions import db, limiter, login_manager
from ..links import external_url
from ..mailer import send_template
from ..models import OrganisationKind, Role, User
from ..redirects import safe_next
from .forms import ForgotPasswordForm, LoginForm, RegisterForm, ResetPasswordForm

bp = Blueprint("auth", __name__)
AUTH_LIMIT = "10 per minute;50 per hour"


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
    """A new resident or organisation account."""
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = accounts.register(db.session, _new_account(form))
        except FieldError as error:
            form[error.field].errors.append(error.message)
        else:
            db.session.commit()
            _start_session(user)
            flash(_("Welkom bij Naoberkaart! Uw account is klaar."), "success")
            return redirect(url_for("main.home"))
    return render_template("auth/register.html", form=form), 400 if form.errors else 200


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


@bp.route("/inloggen", methods=["GET", "POST"])
@limiter.limit(AUTH_LIMIT, methods=["POST"])
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
            _("Deze combinatie van e-mailadres en wachtwoord kennen we niet.")
        )
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


@bp.post("/uitloggen")
@login_required
def logout():
    """Log out everywhere this session was copied to."""
    accounts.end_sessions(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("U bent uitgelogd."), "success")
    return redirect(url_for("main.home"))


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@limiter.limit(AUTH_LIMIT, methods=["POST"])
def forgot_password():
    """Mail a reset link; the answer is the same whether or not the address is known."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = accounts.find_user(db.session, form.email.data)
        if user is not None and user.active:
            _send_reset_mail(user)
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
            accounts.set_password(user, form.password.data)
        except FieldError as error:
            form.password.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Uw wachtwoord is veranderd. U kunt nu inloggen."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form), 400 if form.errors else 200
