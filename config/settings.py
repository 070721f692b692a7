"""Settings of LAO Portal: one module, every value from the environment (django-environ).

Defaults are safe: DEBUG is off, and with DEBUG off the portal refuses to start without
DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS. `make run` and `make test` export development values
(see scripts/env.sh); `.env.example` lists every variable.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Production (DJANGO_DEBUG off) refuses to start "
            "without it."
        )
    SECRET_KEY = "development-only-insecure-secret-key"  # used only with DEBUG on

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_ALLOWED_HOSTS is not set. Production (DJANGO_DEBUG off) refuses to start "
            "without it."
        )
    ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_filters",
    "django_htmx",
    "django_tasks_db",
    "import_export",
    "axes",
    # Project apps, lowest layer first (DESIGN.md §2).
    "units",
    "budgets",
    "projects",
    "knowledge",
    "forums",
    "benchmarks",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "portal.middleware.BackOfficeIdleTimeoutMiddleware",
    # Last, as django-axes asks: it turns a flagged login attempt into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
# Every form starts with a summary of its errors, linked to the fields (includes/form.html).
FORM_RENDERER = "units.rendering.PortalFormRenderer"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
            ],
        },
    },
]

# Database: PostgreSQL only. Persistent connections are worth ~8x throughput (STACK.md).
DATABASES = {
    "default": env.db_url("DATABASE_URL", default="postgres://postgres@127.0.0.1:54329/lao_portal"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Upload progress is written through a second connection to the same database (autocommit), so a
# page can show it while the upload's own transaction is still open.
DATABASES["progress"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "units.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# Each role's first page (portal.navigation.landing_url_name); a safe `next` wins.
LOGIN_REDIRECT_URL = "portal:landing"
LOGOUT_REDIRECT_URL = "portal:home"
# django-axes first: it refuses a locked-out username+address before any password is checked.
# Without a request (the test client's login(), a shell) it raises ValueError: pass one.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed logins are counted in the database (every gunicorn worker sees them) per username *and*
# client address together: a guesser is stopped after PORTAL_LOGIN_FAILURE_LIMIT tries at one
# account, yet cannot lock a real officer out from elsewhere, and one office behind a shared NAT
# address is not locked out as a whole because of one colleague's typos.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env.int("PORTAL_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("PORTAL_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no banner on every manage.py command
AXES_LOCKOUT_CALLABLE = "portal.views.lockout"
AXES_CLIENT_IP_CALLABLE = "units.limits.client_ip"
# Sign-up confirmation links: their own signing salt and lifetime (seconds; default 3 days).
PORTAL_SIGNUP_CONFIRM_TIMEOUT = env.int("PORTAL_SIGNUP_CONFIRM_TIMEOUT", default=3 * 24 * 3600)
# Password-reset and sign-up e-mails asked for within the window, per address and per client
# address, counted in the database; beyond them the page answers 429 and nothing is sent.
PORTAL_MAIL_WINDOW_MINUTES = env.int("PORTAL_MAIL_WINDOW_MINUTES", default=60)
PORTAL_MAIL_LIMIT_PER_ADDRESS = env.int("PORTAL_MAIL_LIMIT_PER_ADDRESS", default=3)
PORTAL_MAIL_LIMIT_PER_CLIENT = env.int("PORTAL_MAIL_LIMIT_PER_CLIENT", default=20)
# The webboard: posts (threads and replies) per account and per client address in a window;
# links allowed to accounts younger than FORUMS_NEW_ACCOUNT_DAYS; how long an author may edit;
# flags from different users that hide a post until reviewed; when a question to an LAO counts
# as waiting too long for its answer.
FORUMS_POST_LIMIT = env.int("FORUMS_POST_LIMIT", default=6)
FORUMS_POST_WINDOW_MINUTES = env.int("FORUMS_POST_WINDOW_MINUTES", default=10)
FORUMS_NEW_ACCOUNT_DAYS = env.int("FORUMS_NEW_ACCOUNT_DAYS", default=3)
FORUMS_NEW_ACCOUNT_LINKS = env.int("FORUMS_NEW_ACCOUNT_LINKS", default=1)
FORUMS_EDIT_WINDOW_MINUTES = env.int("FORUMS_EDIT_WINDOW_MINUTES", default=30)
FORUMS_FLAGS_TO_HIDE = env.int("FORUMS_FLAGS_TO_HIDE", default=2)
# Only flags from accounts at least this old count toward hiding a post (younger accounts' flags
# still reach the moderators); flags per account and per address in a window.
FORUMS_FLAG_MIN_ACCOUNT_DAYS = env.int("FORUMS_FLAG_MIN_ACCOUNT_DAYS", default=3)
FORUMS_FLAG_LIMIT = env.int("FORUMS_FLAG_LIMIT", default=20)
FORUMS_FLAG_WINDOW_MINUTES = env.int("FORUMS_FLAG_WINDOW_MINUTES", default=60)
FORUMS_UNANSWERED_DAYS = env.int("FORUMS_UNANSWERED_DAYS", default=7)
# Back-office sessions end after this much inactivity; citizens keep Django's two weeks.
PORTAL_BACK_OFFICE_IDLE_MINUTES = env.int("PORTAL_BACK_OFFICE_IDLE_MINUTES", default=30)
# `seed_demo` creates accounts with published passwords: with DEBUG off only when allowed here
# or by its --allow-demo-accounts flag.
PORTAL_DEMO_ACCOUNTS = env.bool("PORTAL_DEMO_ACCOUNTS", default=False)

# Cache: in-process by default (fragments of public pages, a few seconds to a minute old at
# most); Redis or memcached by URL beyond one machine (DESIGN.md §6).
CACHES = {"default": env.cache_url("DJANGO_CACHE_URL", default="locmemcache://lao-portal")}

# Background work: django.tasks with the database backend; `manage.py units_run_worker` runs it
# (django-tasks-db's worker, reconnecting when the database restarts).
TASKS = {
    "default": {
        "BACKEND": env.str("DJANGO_TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

# Languages: Thai first, English second. Years are shown in the Buddhist Era (units.thai).
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "lao_portal_language"
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "var" / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "DJANGO_STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

# E-mail: the console in development; in production an SMTP URL such as
# smtp+tls://user:password@mail.example.org:587 (django-environ syntax), as Django's MAILERS.
_email = env.email_url("DJANGO_EMAIL_URL", default="consolemail://")
_smtp_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS", False),
    "use_ssl": _email.get("EMAIL_USE_SSL", False),
    "timeout": 20,
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": _smtp_options if _email["EMAIL_BACKEND"].endswith(".smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="LAO Portal <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security. Secure by default; `make run` relaxes only what plain http on loopback needs.
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
# Only a reverse proxy that sets X-Forwarded-Proto and X-Forwarded-For itself may be believed;
# without one, any client could claim https or another address.
BEHIND_PROXY = env.bool("DJANGO_BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=SECURE_HSTS_SECONDS > 0)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Only what the portal itself serves: vendored assets, no CDN, scripts by nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Spreadsheet uploads (units/uploads): refused before parsing when above these limits.
UPLOAD_MAX_BYTES = env.int("PORTAL_UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
UPLOAD_MAX_UNCOMPRESSED_BYTES = env.int(
    "PORTAL_UPLOAD_MAX_UNCOMPRESSED_BYTES", default=200 * 1024 * 1024
)
UPLOAD_MAX_COMPRESSION_RATIO = env.int("PORTAL_UPLOAD_MAX_COMPRESSION_RATIO", default=100)
UPLOAD_MAX_ROWS = env.int("PORTAL_UPLOAD_MAX_ROWS", default=100_000)
UPLOAD_MAX_COLUMNS = env.int("PORTAL_UPLOAD_MAX_COLUMNS", default=50)
# The workbook is parsed in a child process with this address-space ceiling (RLIMIT_AS): a file
# that needs more ends that process with a clear message, not the worker (baseline ~35 MB).
UPLOAD_PARSE_MEMORY_MB = env.int("PORTAL_UPLOAD_PARSE_MEMORY_MB", default=1024)

# Files attached to knowledge documents (knowledge/files.py): refused above this size; their
# text is read in a child process with this address-space ceiling, up to this many characters.
KNOWLEDGE_FILE_MAX_BYTES = env.int("PORTAL_KNOWLEDGE_FILE_MAX_BYTES", default=30 * 1024 * 1024)
KNOWLEDGE_EXTRACT_MEMORY_MB = env.int("PORTAL_KNOWLEDGE_EXTRACT_MEMORY_MB", default=768)
KNOWLEDGE_EXTRACT_MAX_CHARS = env.int("PORTAL_KNOWLEDGE_EXTRACT_MAX_CHARS", default=2_000_000)

# The folder of public reference data (geography, DLA registry, budget classification).
PORTAL_DATA_DIR = Path(env.str("PORTAL_DATA_DIR", default=str(BASE_DIR / "data")))
# The portal's public address, for links in e-mails sent by the task worker.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Contacts shown in the footer of every page.
PORTAL_HOTLINE = env.str("PORTAL_HOTLINE", default="1111")
PORTAL_CONTACT_EMAIL = env.str("PORTAL_CONTACT_EMAIL", default="saraban@dla.go.th")
PORTAL_CONTACT_PHONE = env.str("PORTAL_CONTACT_PHONE", default="0 2241 9000")
# Days an LAO has to answer a question about one of its figures ("Question this figure");
# open questions past it count against the LAO's data completeness.
BENCHMARKS_QUESTION_ANSWER_DAYS = env.int("BENCHMARKS_QUESTION_ANSWER_DAYS", default=15)
# Composite scores are kept for this many newest versions; older versions keep only their
# number, date, method and note.
BENCHMARKS_COMPOSITE_VERSIONS_KEPT = env.int("BENCHMARKS_COMPOSITE_VERSIONS_KEPT", default=10)
# Minutes a composite version made by corrected figures takes further corrections in place
# instead of a new version per correction (benchmarks/composite.py); 0: never.
BENCHMARKS_COMPOSITE_COALESCE_MINUTES = env.int("BENCHMARKS_COMPOSITE_COALESCE_MINUTES", default=15)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # One line per login otherwise; lockouts are still logged as warnings.
        "axes": {"level": "WARNING"},
    },
}
