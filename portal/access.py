"""Access decorators for views: who may reach a page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from .models import Role


def role_required(*roles: Role) -> Callable:
    """Only logged-in users with one of these roles; others get 403 (anonymous: the login page)."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def guarded(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorate


officer_required = role_required(Role.OFFICER, Role.ADMIN)
admin_required = role_required(Role.ADMIN)
