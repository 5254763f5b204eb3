"""Settings read from the environment when a config is instantiated (never at import time)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent
DEFAULT_TILE_URL = (
    "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png"
)
#: The credit of the default tiles, after the reader's word for "map data" (see map.tiles()).
DEFAULT_TILE_ATTRIBUTION = (
    '&copy; <a href="https://www.kadaster.nl">Kadaster</a> (BRT-Achtergrondkaart)'
)


def _flag(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ja"}


def _development_secret(instance_dir: Path) -> str:
    """A random key kept under instance/ so development sessions survive restarts."""
    path = instance_dir / "secret_key"
    if not path.exists():
        instance_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _engine_options(url: str) -> dict:
    """A dead connection is replaced before use (a database restart heals by itself); a server
    database gets a pool per worker: DB_POOL_SIZE connections, DB_MAX_OVERFLOW more at peaks."""
    options: dict = {"pool_pre_ping": True}
    if not url.startswith("sqlite"):
        options["pool_size"] = int(os.environ.get("DB_POOL_SIZE", "5"))
        options["max_overflow"] = int(os.environ.get("DB_MAX_OVERFLOW", "5"))
        options["pool_recycle"] = 1800  # seconds: never hand out a connection a firewall dropped
    return options


def _database_url(instance_dir: Path) -> str:
    """DATABASE_URL on the psycopg 3 driver; by default a SQLite file under instance/."""
    return _normalise(
        os.environ.get("DATABASE_URL") or f"sqlite:///{instance_dir / 'naoberkaart.sqlite'}"
    )


class Config:
    """Production-safe defaults, overridable per environment variable."""

    TESTING = False
    # Bodies larger than this are refused with 413 before they are read; the officer's import
    # raises it for its upload (portal/body_limits.py).
    MAX_CONTENT_LENGTH = 512 * 1024

    def __init__(self, instance_dir: Path | None = None) -> None:
        env = os.environ
        self.INSTANCE_DIR = Path(env.get("INSTANCE_DIR", instance_dir or BASE_DIR / "instance"))
        self.ENV_NAME = env.get("PORTAL_ENV", "development")
        self.SECRET_KEY = env.get("SECRET_KEY") or self._fallback_secret()
        self.SQLALCHEMY_DATABASE_URI = _database_url(self.INSTANCE_DIR)
        self.SQLALCHEMY_ENGINE_OPTIONS = _engine_options(self.SQLALCHEMY_DATABASE_URI)
        self.REDIS_URL = env.get("REDIS_URL", "")
        self.RATELIMIT_STORAGE_URI = self.REDIS_URL or "memory://"
        # Query results (list ids and counts, map JSON, public matches) shared by the workers
        # through Redis when REDIS_URL is set; 0 turns the cache off (portal/caching/results.py).
        self.CACHE_SECONDS = int(env.get("CACHE_SECONDS", "45"))
        self.CACHE_REDIS_URL = self.REDIS_URL
        # Whole pages for anonymous visitors (map, list, listing), same store and generation;
        # the time bounds only what changes with the clock, such as "3 dagen geleden".
        self.PAGE_CACHE_SECONDS = int(env.get("PAGE_CACHE_SECONDS", "300"))
        # The list counts its results up to this many, then says "meer dan 1.000".
        self.LIST_COUNT_LIMIT = int(env.get("LIST_COUNT_LIMIT", "1000"))
        self.RATELIMIT_ENABLED = _flag("RATELIMIT_ENABLED", True)
        self.RATELIMIT_HEADERS_ENABLED = True
        self.MAIL_SERVER = env.get("MAIL_SERVER", "")
        self.MAIL_PORT = int(env.get("MAIL_PORT", "587"))
        self.MAIL_USERNAME = env.get("MAIL_USERNAME", "")
        self.MAIL_PASSWORD = env.get("MAIL_PASSWORD", "")
        self.MAIL_USE_TLS = _flag("MAIL_USE_TLS", True)
        self.MAIL_SENDER = env.get("MAIL_SENDER", "Naoberkaart <noreply@naoberkaart.nl>")
        self.MAIL_OUTBOX_DIR = Path(env.get("MAIL_OUTBOX_DIR", self.INSTANCE_DIR / "outbox"))
        self.GEOCODER = env.get("GEOCODER", "offline")
        self.SEND_FILE_MAX_AGE_DEFAULT = int(env.get("STATIC_MAX_AGE", "3600"))
        self.COMPRESS_REGISTER = _flag("COMPRESS", True)
        self.TRUSTED_PROXIES = int(env.get("TRUSTED_PROXIES", "0"))
        self.GEOCODER_USER_AGENT = env.get("GEOCODER_USER_AGENT", "naoberkaart/1.0")
        self.GEOCODER_DOMAIN = env.get("GEOCODER_DOMAIN", "")
        self.GEOCODER_SCHEME = env.get("GEOCODER_SCHEME", "https")
        self.RETENTION_LISTING_DAYS = int(env.get("RETENTION_LISTING_DAYS", "365"))
        self.INACTIVE_ACCOUNT_DAYS = int(env.get("INACTIVE_ACCOUNT_DAYS", "730"))
        self.INACTIVE_GRACE_DAYS = int(env.get("INACTIVE_GRACE_DAYS", "30"))
        self.LISTING_STALE_DAYS = int(env.get("LISTING_STALE_DAYS", "150"))
        self.TILE_URL = env.get("TILE_URL", DEFAULT_TILE_URL)
        self.TILE_ATTRIBUTION = env.get("TILE_ATTRIBUTION", "")
        self.PUBLIC_BASE_URL = env.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
        # Production answers only to PUBLIC_BASE_URL's host and the extra TRUSTED_HOSTS; any
        # other Host (or X-Forwarded-Host) gets a 400 (Flask's own check).
        self.TRUSTED_HOSTS = (
            trusted_hosts(self.PUBLIC_BASE_URL, env.get("TRUSTED_HOSTS", ""))
            if self.ENV_NAME == "production"
            else None
        )
        self.LISTING_EXPIRY_MONTHS = int(env.get("LISTING_EXPIRY_MONTHS", "6"))
        self._set_brakes(env)
        self._set_link_lifetimes(env)
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = self.ENV_NAME == "production"
        self.REMEMBER_COOKIE_DURATION = 60 * 60 * 24 * 30
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        self.BABEL_DEFAULT_LOCALE = "nl"
        self.BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
        self.LANGUAGES = ("nl", "en")
        self.WTF_CSRF_TIME_LIMIT = None

    def _set_link_lifetimes(self, env) -> None:
        """How long signed links in mails work (seconds)."""
        self.FRESHNESS_LINK_MAX_AGE = int(env.get("FRESHNESS_LINK_MAX_AGE", str(30 * 24 * 3600)))
        self.PASSWORD_RESET_MAX_AGE = int(env.get("PASSWORD_RESET_MAX_AGE", str(60 * 60)))
        self.EMAIL_CONFIRM_MAX_AGE = int(env.get("EMAIL_CONFIRM_MAX_AGE", str(48 * 60 * 60)))

    def _set_brakes(self, env) -> None:
        """Per-account limits on what probing or spamming would repeat (not per address)."""
        self.LOCATION_MOVES_PER_HOUR = int(env.get("LOCATION_MOVES_PER_HOUR", "6"))
        self.CONTACTS_PER_DAY = int(env.get("CONTACTS_PER_DAY", "15"))

    def _fallback_secret(self) -> str:
        """Production must set SECRET_KEY; elsewhere a generated key under instance/ will do."""
        if os.environ.get("PORTAL_ENV") == "production":
            raise RuntimeError("SECRET_KEY must be set when PORTAL_ENV=production")
        return _development_secret(self.INSTANCE_DIR)


class TestConfig(Config):
    """Tests: TEST_DATABASE_URL (or a SQLite file), no rate limits, mail to the outbox folder."""

    __test__ = False  # a settings class, not a pytest test class

    TESTING = True

    def __init__(self, instance_dir: Path) -> None:
        super().__init__(instance_dir)
        self.SECRET_KEY = "test-secret-key"  # noqa: S105
        url = os.environ.get("TEST_DATABASE_URL")
        self.SQLALCHEMY_DATABASE_URI = (
            _normalise(url) if url else f"sqlite:///{self.INSTANCE_DIR / 'test.sqlite'}"
        )
        self.SQLALCHEMY_ENGINE_OPTIONS = _engine_options(self.SQLALCHEMY_DATABASE_URI)
        self.MAIL_SERVER = ""
        self.MAIL_OUTBOX_DIR = self.INSTANCE_DIR / "outbox"
        self.RATELIMIT_ENABLED = False
        self.RATELIMIT_STORAGE_URI = "memory://"
        self.CACHE_REDIS_URL = ""  # per test process: never share cached results between runs
        self.COMPRESS_REGISTER = False  # the test client does not decompress; see test_serving.py
        self.WTF_CSRF_ENABLED = False
        self.TILE_URL = "/test-tiles/{z}/{x}/{y}.png"
        self.GEOCODER = "offline"


def trusted_hosts(public_base_url: str, extra: str) -> list[str]:
    """The host of PUBLIC_BASE_URL and the extra names (comma-separated, e.g. for a health
    check that calls the worker directly)."""
    names = [urlsplit(public_base_url).hostname or "", *extra.split(",")]
    return [name.strip() for name in names if name.strip()]


def _normalise(url: str) -> str:
    """Map postgres:// and postgresql:// onto the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
