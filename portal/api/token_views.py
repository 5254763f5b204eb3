"""Mijn API-sleutels: create a personal API token (shown once), see and revoke them."""

from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..domain.errors import FieldError
from ..domain.identity import api_tokens
from ..extensions import db
from ..i18n import translate
from ..models.base import utcnow
from .forms import RevokeForm, TokenForm

bp = Blueprint("api_tokens", __name__, url_prefix="/mijn/api-sleutels")


@bp.before_request
@login_required
def require_login():
    """Every page here is personal."""


def _page(form: TokenForm, status: int = 200, secret: str | None = None):
    """The token page; a new secret is shown once and never cached."""
    response = make_response(
        render_template(
            "api/tokens.html", form=form, revoke_form=RevokeForm(), secret=secret,
            tokens=api_tokens.active_tokens(db.session, current_user),
        ), status,
    )  # fmt: skip
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("")
def index():
    """My tokens and the form for a new one."""
    return _page(TokenForm())


@bp.post("")
def create():
    """A new token: its secret appears on this one response and is stored only as a hash."""
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    try:
        issued = api_tokens.create_token(db.session, current_user, form.name.data, utcnow())
    except FieldError as error:
        form[error.field].errors.append(translate(error.message))
        return _page(form, 400)
    db.session.commit()
    return _page(TokenForm(formdata=None), 201, secret=issued.secret)


@bp.post("/<int:token_id>/intrekken")
def revoke(token_id: int):
    """Stop a token from working at once."""
    if not RevokeForm().validate_on_submit():
        abort(400)
    if not api_tokens.revoke_token(db.session, current_user, token_id, utcnow()):
        abort(404)
    db.session.commit()
    flash(_("De sleutel is ingetrokken. Programma's die hem gebruiken, krijgen nu 401."), "success")
    return redirect(url_for("api_tokens.index"))
