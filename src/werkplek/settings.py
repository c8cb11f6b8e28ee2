"""Werkplek settings: one module, configured from the environment.

Every value that differs between a developer's laptop, CI and production comes from an
environment variable; the defaults are safe for production except where DEBUG is on.
See README.md, "Configuration", for the full list.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent  # src/werkplek
PROJECT_DIR = BASE_DIR.parent.parent  # the repository root
VAR_DIR = Path(os.environ.get("WERKPLEK_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "django-insecure-development-only-werkplek-key-never-use-in-production"
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set in the environment when DEBUG is off."
        )

# The key of the national register numbers at rest (werkplek.core.personal_data). In
# production it must be set, and apart from SECRET_KEY: rotating SECRET_KEY (sessions, signed
# links) must not make every stored number unreadable.
if not DEBUG and not os.environ.get("PERSONAL_DATA_KEY"):
    raise ImproperlyConfigured(
        "PERSONAL_DATA_KEY must be set in the environment when DEBUG is off."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Where the site is reached, for links in e-mails and letters.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
if not SITE_URL:
    raise ImproperlyConfigured("SITE_URL (the public address, for links in e-mails) must be set "
                               "when DEBUG is off.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "simple_history",
    "django_tasks_db",
    "mozilla_django_oidc",
    "werkplek.core",
    "werkplek.catalog",
    "werkplek.accounts",
    "werkplek.enterprises",
    "werkplek.conditions",
    "werkplek.selfscan",
    "werkplek.applications",
    "werkplek.recognitions",
    "werkplek.agreements",
    "werkplek.appeals",
    "werkplek.register",
    "werkplek.notices",
    "werkplek.api",
    "werkplek.benchdata",
    # After our apps: where both translate a message (Django's "This field is required."), the
    # app listed first wins, and our wording must.
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "werkplek.core.middleware.SessionActivityMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "werkplek.core.middleware.PrivatePagesMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "werkplek.accounts.middleware.StaffTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # django-axes must come last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "werkplek.urls"
WSGI_APPLICATION = "werkplek.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "werkplek.core.context_processors.site",
            ],
        },
    },
]
FORM_RENDERER = "werkplek.core.forms.GovukFormRenderer"

# --- Database -------------------------------------------------------------------------------
# SQLite under var/ by default, PostgreSQL (or any dj-database-url URL) via DATABASE_URL.
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'werkplek.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL and a busy timeout let the web server and the task worker share the file.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and login ---------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "core:home"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# OpenID Connect with the government identity provider: off unless OIDC_ENABLED is set.
OIDC_ENABLED = env_bool("OIDC_ENABLED")
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid profile email")
# The claim that carries the national register number (rijksregisternummer).
OIDC_NATIONAL_NUMBER_CLAIM = os.environ.get("OIDC_NATIONAL_NUMBER_CLAIM", "rrn")
OIDC_CREATE_USER = env_bool("OIDC_CREATE_USER", True)

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses locked-out credentials before any check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("werkplek.accounts.oidc.NationalNumberOIDCBackend")

# Throttling of failed logins (django-axes): 5 failures per username and address, 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The client's address as the rate limits see it (behind WERKPLEK_TRUSTED_PROXY_COUNT proxies,
# from X-Forwarded-For): without it, behind a proxy every client would share the proxy's
# address, and five wrong passwords from anyone would lock the account for everyone.
AXES_CLIENT_IP_CALLABLE = "werkplek.core.ratelimit.login_ip"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)

# Two-factor (TOTP) for staff roles; WERKPLEK_STAFF_2FA=0 switches it off (the demo does).
STAFF_TWO_FACTOR = env_bool("WERKPLEK_STAFF_2FA", not DEBUG)
OTP_TOTP_ISSUER = "Werkplek"

SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(60 * 60 * 8)))
# The age counts from the last request (inactivity expiry): werkplek.core.middleware moves the
# expiry forward at most once a minute instead of writing the session on every request.
SESSION_SAVE_EVERY_REQUEST = False
# How long a process keeps the reference records of a form's select (werkplek.catalog.fields).
CATALOGUE_CHOICES_SECONDS = int(os.environ.get("CATALOGUE_CHOICES_SECONDS", "300"))
SESSION_ACTIVITY_RESOLUTION = int(os.environ.get("SESSION_ACTIVITY_RESOLUTION", "60"))
# However active, a session ends this long after signing in (OWASP ASVS 3.3.2: 12 hours).
SESSION_ABSOLUTE_AGE = int(os.environ.get("SESSION_ABSOLUTE_AGE", str(60 * 60 * 12)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "werkplek_language"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
FORMAT_MODULE_PATH = ["werkplek.formats"]

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))  # never served directly
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Uploaded documents: at most this many bytes each (10 MB); optional ClamAV scan of uploads.
WERKPLEK_MAX_UPLOAD_BYTES = int(os.environ.get("WERKPLEK_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
CLAMAV_SOCKET = os.environ.get("CLAMAV_SOCKET", "")
CLAMAV_HOST = os.environ.get("CLAMAV_HOST", "")
CLAMAV_PORT = int(os.environ["CLAMAV_PORT"]) if os.environ.get("CLAMAV_PORT") else None

# Data retention (werkplek.core.retention, the daily `retention_daily`; stated on the privacy
# page): drafts untouched for this many days; extracts from the criminal record this many days
# after the decision became final; documents of refused, withdrawn or lapsed applications this
# many years after they ended; security logs (logins, failed logins, the register of accesses
# to personal data) this many days.
WERKPLEK_RETENTION_DRAFT_DAYS = int(os.environ.get("WERKPLEK_RETENTION_DRAFT_DAYS", "180"))
WERKPLEK_RETENTION_EXTRACT_DAYS = int(os.environ.get("WERKPLEK_RETENTION_EXTRACT_DAYS", "30"))
WERKPLEK_RETENTION_CLOSED_YEARS = int(os.environ.get("WERKPLEK_RETENTION_CLOSED_YEARS", "5"))
WERKPLEK_RETENTION_LOG_DAYS = int(os.environ.get("WERKPLEK_RETENTION_LOG_DAYS", "365"))

# --- E-mail (Django 6.1 MAILERS) ------------------------------------------------------------
# EMAIL_HOST set: SMTP with the values below. Unset: the console, for development.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Werkplek <noreply@werkplek.example>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT", "25")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS"),
                "use_ssl": env_bool("EMAIL_USE_SSL"),
                "timeout": int(os.environ.get("EMAIL_TIMEOUT", "30")),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# --- Cache ----------------------------------------------------------------------------------
# CACHE_URL (or REDIS_URL) set: Redis, shared by every web process, so that the rate limits and
# the register's cached searches hold across workers and hosts (redis://host:6379/0, rediss://
# for TLS; "redis://leader,redis://replica" reads from the replica). Unset: each process's own
# memory, enough for one process (`make run`) and the tests.
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL", "")
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured("CACHE_URL must be a Redis URL (redis://, rediss://, unix://).")
    CACHES = {
        "default": {
            "BACKEND": "werkplek.core.cache.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "werkplek"),
            # A Redis that does not answer fails fast instead of holding a worker.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Rate limits (werkplek.core.ratelimit, werkplek.api.throttling) ----------------------------
# Per client address (IPv6: per /64), fixed windows counted in the cache above.
# WERKPLEK_RATE_LIMITS=0 switches every limit off, the API's too (load benchmarks).
WERKPLEK_RATE_LIMITS = env_bool("WERKPLEK_RATE_LIMITS", True)
# The register's public pages are kept whole for anonymous visitors until the register changes
# (werkplek.core.pagecache); WERKPLEK_PAGE_CACHE=0 renders every page for every request.
WERKPLEK_PAGE_CACHE = env_bool("WERKPLEK_PAGE_CACHE", True)
# How many reverse proxies of ours stand in front of the web processes (nginx: 1), each adding
# the address it was reached from to X-Forwarded-For; the client is the address the outermost
# one saw. 0: REMOTE_ADDR, and X-Forwarded-For is ignored (a client can write anything in it).
WERKPLEK_TRUSTED_PROXY_COUNT = int(os.environ.get("WERKPLEK_TRUSTED_PROXY_COUNT", "0"))
WERKPLEK_RATE_LIMIT_RATES = {
    # The register's search, result and open-data pages: far above what a person clicks (a few
    # pages a minute), with room for a classroom or office behind one address; a scraper is
    # held to 2 pages a second, a load that one worker carries (docs/performance.md).
    "register": os.environ.get("WERKPLEK_RATE_REGISTER", "120/min"),
    # The whole register as CSV or JSON: a download holds a worker for about 12 s at full scale;
    # 3 a minute lets a person fetch both files and retry, and keeps one address from occupying
    # more than about half a worker. The file changes once a day.
    "export": os.environ.get("WERKPLEK_RATE_EXPORT", "3/min"),
    # The self-scan's pages (each step a GET, a POST and a redirect).
    "selfscan": os.environ.get("WERKPLEK_RATE_SELFSCAN", "120/min"),
    # Asking a contact point for help sends them an e-mail: besides the limit per e-mail address
    # (selfscan.services), a few an hour per address.
    "selfscan-help": os.environ.get("WERKPLEK_RATE_SELFSCAN_HELP", "10/hour"),
}

# --- Background tasks (django.tasks with the database backend) ------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- Security -------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "werkplek.personal_data": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        # WeasyPrint reports every rendering step at INFO: only its warnings matter.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Werkplek -------------------------------------------------------------------------------
# Demo accounts get this password; `make run` loads them. Never loaded in production.
DEMO_PASSWORD = "demo"

# --- REST API (docs/api.md) ----------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "werkplek.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "werkplek.api.pagination.CursorPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "werkplek.api.errors.exception_handler",
    # Throttles (werkplek.api.throttling): 429 with Retry-After in the API's error shape.
    # Anonymous (per address): the catalogue and the register, open data; 1 request a second
    # sustained is plenty for an application that looks things up, while whoever wants
    # everything takes the open-data export instead of paging through the API. Per token (or
    # user): the systems of training providers and partnerships that synchronise agreements
    # and applications, 10 a second, well above a nightly sync's need and within what the API
    # serves (about 50 list pages a second, docs/performance.md) without starving others.
    "DEFAULT_THROTTLE_CLASSES": [
        "werkplek.api.throttling.AnonThrottle",
        "werkplek.api.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("WERKPLEK_RATE_API_ANON", "60/min"),
        "user": os.environ.get("WERKPLEK_RATE_API_USER", "600/min"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATE_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Werkplek API",
    "DESCRIPTION": (
        "The REST API of Werkplek, the counter for recognising workplaces for dual learning in "
        "Flanders: the catalogue and the public register for everyone; applications and "
        "agreements for training providers' learner coaches under the enterprises' mandates; "
        "applications and recognitions for partnerships. A guide: docs/api.md."
    ),
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "persistAuthorization": False},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "werkplek.api.schema.add_error_responses",
    ],
    "ENUM_GENERATE_CHOICE_DESCRIPTION": True,
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStateEnum": "werkplek.applications.models.Application.State",
        "LetterStateEnum": "werkplek.notices.models.Letter.State",
        "InvestigationKindEnum": "werkplek.applications.models.InvestigationStep.Kind",
        "CaseNoteKindEnum": "werkplek.applications.models.CaseNote.Kind",
        "MentorCheckResultEnum": "werkplek.applications.models.ApplicationMentor.Check",
        "VoteOutcomeEnum": "werkplek.applications.models.Application.VoteOutcome",
        "RecognitionStateEnum": "werkplek.recognitions.models.Recognition.State",
        "SanctionKindEnum": "werkplek.recognitions.models.Sanction.Kind",
        "FindingKindEnum": "werkplek.recognitions.models.Finding.Kind",
        "FindingOutcomeEnum": "werkplek.recognitions.models.Finding.Outcome",
        "AgreementStateEnum": "werkplek.agreements.models.Agreement.State",
        "AgreementKindEnum": "werkplek.agreements.models.Agreement.Kind",
    },
}

