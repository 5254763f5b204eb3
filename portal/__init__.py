"""Naoberkaart: the application factory reads like a table of contents."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from config import Config

from . import body_limits, cli, i18n, inputs, labels, links, navigation, ops, security
from . import error_pages as errors
from .caching import pages as page_cache
from .caching import results as cache
from .domain.places.geocoding import make_online_geocoder
from .extensions import babel, csrf, db, limiter, login_manager, migrate
from .open_data import cli as open_data_cli

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"


def create_app(config: Config | None = None) -> Flask:
    """Build the portal for the given settings (from the environment by default)."""
    config = config or Config()
    app = Flask(__name__, template_folder="../templates", static_folder="../static")
    app.config.from_object(config)
    inputs.init_app(app)  # the id converter, before any route is added
    register_extensions(app)
    register_blueprints(app)
    register_template_helpers(app)
    errors.register(app)
    cli.register(app)
    open_data_cli.register(app)
    page_cache.init_app(app, app.extensions[cache.EXTENSION])
    ops.init_app(app)  # its proxy fix wraps the page cache: cached pages see the client's host
    return app


def register_extensions(app: Flask) -> None:
    """Bind every extension to this app."""
    db.init_app(app)
    cache.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "strong"
    limiter.init_app(app)
    body_limits.init_app(app)  # before the CSRF check reads a body
    csrf.init_app(app)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS_DIR))
    babel.init_app(app, locale_selector=i18n.select_locale)
    app.extensions["geocoder"] = make_online_geocoder(
        app.config["GEOCODER"],
        app.config["GEOCODER_USER_AGENT"],
        domain=app.config["GEOCODER_DOMAIN"] or None,
        scheme=app.config["GEOCODER_SCHEME"],
    )


def register_blueprints(app: Flask) -> None:
    """One blueprint per feature."""
    from .admin.views import bp as admin_bp
    from .api.token_views import bp as api_tokens_bp
    from .api.views import bp as api_bp
    from .auth.views import bp as auth_bp
    from .contact.views import bp as contact_bp
    from .dashboard.views import bp as dashboard_bp
    from .listings.views import bp as listings_bp
    from .main.views import bp as main_bp
    from .map.views import bp as map_bp
    from .me.views import bp as me_bp
    from .moderation.views import bp as moderation_bp
    from .noticeboard.views import bp as noticeboard_bp
    from .open_data.views import bp as open_data_bp
    from .organisations.views import bp as organisations_bp
    from .wishes.views import bp as wishes_bp

    blueprints = (
        main_bp,
        auth_bp,
        admin_bp,
        listings_bp,
        organisations_bp,
        me_bp,
        wishes_bp,
        contact_bp,
        noticeboard_bp,
        moderation_bp,
    )
    for blueprint in (*blueprints, dashboard_bp, map_bp, api_tokens_bp, api_bp, open_data_bp):
        app.register_blueprint(blueprint)


def register_template_helpers(app: Flask) -> None:
    """Filters and globals the templates share, and the security headers."""
    i18n.register(app)
    labels.register(app)
    links.register(app)
    navigation.register(app)
    security.register(app)
