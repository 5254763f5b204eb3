"""Administration: accounts and roles."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..access import admin_required
from ..domain.identity import accounts, audit
from ..extensions import db
from ..inputs import parse_id
from ..labels import label
from ..models import Role, User

bp = Blueprint("admin", __name__, url_prefix="/beheer")
PAGE_SIZE = 50


@bp.get("/gebruikers")
@admin_required
def users():
    """Accounts, newest first, with their role."""
    number = parse_id(request.args.get("page")) or 1
    statement = select(User).order_by(User.id.desc())
    page = db.paginate(statement, page=number, per_page=PAGE_SIZE, error_out=False)
    return render_template("admin/users.html", page=page, roles=list(Role))


@bp.post("/gebruikers/<int:user_id>/rol")
@admin_required
def set_role(user_id: int):
    """Grant or withdraw officer (or admin) rights."""
    user = db.get_or_404(User, user_id)
    try:
        role = Role(request.form.get("role", ""))
    except ValueError:
        abort(400)
    accounts.grant_role(user, role)
    audit.record(db.session, current_user, "role.grant", "user", user.id, role=role.value)
    db.session.commit()
    flash(
        _("De rol van %(name)s is nu: %(role)s.", name=user.display_name, role=label(role)),
        "success",
    )
    return redirect(url_for("admin.users"))


@bp.get("/audit")
@admin_required
def audit_log():
    """What officers and admins did with people's data, newest first."""
    return render_template("admin/audit.html", entries=audit.recent(db.session))
