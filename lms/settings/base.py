"""Settings shared by every environment; each value can be set from the environment.

dev.py, test.py and production.py import everything from here and change only what differs.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

import environ
from celery.schedules import crontab
from csp.constants import NONCE

from lms.monitoring import DEFAULT_QUEUE, GRADING_QUEUE
from lms.storage import storages_setting

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="dasi-insecure-development-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", ".localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "lms.accounts",
    "lms.certificates",
    "lms.learning",
    "lms.skills",
    "lms.sandboxes",
    "lms.counselling",
    "lms.lti",
    "lms.staffhome",
    "lms.xapi",
    "lms.privacy",
    "lms.notifications",
    "lms.demo",
    "hub_sites",
    "courses",
    "assessments",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "wagtailmedia",
    "modelcluster",
    "taggit",
    "django_filters",
    "oauth2_provider",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "health_check",
    "django_prometheus",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "lms.security_headers.SecurityHeadersMiddleware",
    "lms.security_headers.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "lms.accounts.middleware.StaffSessionMiddleware",
    "lms.accounts.middleware.StaffMFAMiddleware",
    "lms.privacy.middleware.ConsentRequiredMiddleware",
    "hub_sites.middleware.CentreMiddleware",
    "lms.caching.AnonymousPageCacheMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "lms" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "wagtail.contrib.settings.context_processors.settings",
                "hub_sites.context_processors.centre",
            ],
        },
    },
]

# SQLite unless DATABASE_URL names another database (postgres://user@host/name for PostgreSQL).
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'dasi.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # a kept connection survives a DB restart
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses every sign-in of a locked-out person before a password is checked.
    "lms.accounts.signin.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
# The Wagtail admin signs people in through allauth too (lockout, second factor).
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "learning:dashboard"

# django-allauth: local accounts, log in by username or e-mail, e-mail verification offered.
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="optional")
ACCOUNT_SIGNUP_FORM_CLASS = "lms.privacy.forms.ConsentingSignupForm"
ACCOUNT_ADAPTER = "lms.accounts.adapter.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}

# Sign-in protection (docs/security.md). django-axes counts failed sign-ins in the database,
# so every web process sees the same count. After DASI_LOGIN_FAILURE_LIMIT failures of one
# account from one address, that pair is refused for DASI_LOGIN_COOLOFF_MINUTES; the same
# account from another address is not, so nobody can lock a person out from elsewhere, and
# the lock ends by itself. allauth's rate limits above slow guessing across addresses.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env.int("DASI_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("DASI_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "lms.accounts.signin.lockout_response"
AXES_CLIENT_IP_CALLABLE = "lms.accounts.signin.client_ip"
AXES_USERNAME_CALLABLE = "lms.accounts.signin.attempted_username"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT = 100
AXES_VERBOSE = False
# Addresses of trusted proxies in front of Dasi: the client is the address that many hops from
# the right of X-Forwarded-For (0: the connection's own address).
DASI_PROXY_HOPS = env.int("DASI_PROXY_HOPS", default=0)

# Multi-factor authentication (allauth.mfa): TOTP apps and one-time recovery codes. Centre
# admins and superusers must enrol before they reach staff pages; instructors and counsellors
# are offered it on their profile.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("DASI_MFA_ISSUER", default="Dasi")
MFA_RECOVERY_CODE_COUNT = 10
# A code of the previous or next 30-second step is accepted too (clocks of phones drift, and
# RFC 6238 advises one step); each code is accepted once.
MFA_TOTP_TOLERANCE = 1
DASI_MFA_REQUIRED_ROLES = env.list("DASI_MFA_REQUIRED_ROLES", default=["centre_admin"])

# Sessions: learners stay signed in for two weeks (Django's default); a session that holds a
# staff role ends after DASI_STAFF_SESSION_IDLE_MINUTES without a request and at the latest
# DASI_STAFF_SESSION_MAX_HOURS after sign-in.
SESSION_COOKIE_AGE = env.int("DASI_SESSION_MAX_AGE_DAYS", default=14) * 24 * 60 * 60
DASI_STAFF_SESSION_IDLE_MINUTES = env.int("DASI_STAFF_SESSION_IDLE_MINUTES", default=30)
DASI_STAFF_SESSION_MAX_HOURS = env.int("DASI_STAFF_SESSION_MAX_HOURS", default=8)

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Dasi <no-reply@dasi.localhost>")

# Korean first, English second: UI strings through gettext, page content through Wagtail i18n.
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", "한국어"), ("en", "English")]
# locale/vendor first: Korean for Wagtail and wagtailmedia messages their catalogues lack.
LOCALE_PATHS = [BASE_DIR / "locale" / "vendor", BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env("TIME_ZONE", default="Asia/Seoul")
LANGUAGE_COOKIE_NAME = "dasi_language"
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE = False

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("DASI_STATIC_ROOT", default=str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "lms" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("DASI_MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
PRIVATE_ROOT = Path(env("DASI_PRIVATE_ROOT", default=str(BASE_DIR / "var" / "private")))
# The compact certificate font (lms/certificates/fonts.py), built by `manage.py certificate_font`.
DASI_CERTIFICATE_FONT_DIR = Path(
    env("DASI_CERTIFICATE_FONT_DIR", default=str(BASE_DIR / "var" / "fonts"))
)
# Media and private files: folders (one ReadWriteMany volume for several pods) or an
# S3-compatible bucket; see lms/storage.py.
DASI_STORAGE = env("DASI_STORAGE", default="filesystem")
STORAGES = storages_setting(
    DASI_STORAGE,
    private_root=PRIVATE_ROOT,
    s3_bucket=env("DASI_S3_BUCKET", default=""),
    s3_private_bucket=env("DASI_S3_PRIVATE_BUCKET", default=""),
    s3_endpoint_url=env("DASI_S3_ENDPOINT_URL", default=""),
    s3_region=env("DASI_S3_REGION", default=""),
    s3_access_key_id=env("DASI_S3_ACCESS_KEY_ID", default=""),
    s3_secret_access_key=env("DASI_S3_SECRET_ACCESS_KEY", default=""),
    s3_custom_domain=env("DASI_S3_CUSTOM_DOMAIN", default=""),
)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://dasi"),
}

# Celery. The embedded default is the filesystem transport: a broker that needs no server.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(BASE_DIR / "var" / "broker"),
        "data_folder_out": str(BASE_DIR / "var" / "broker"),
        "processed_folder": str(BASE_DIR / "var" / "broker-processed"),
        "control_folder": str(BASE_DIR / "var" / "broker-control"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    else {
        # Redis: a message a worker took but never acknowledged (the worker was killed) goes back
        # to the queue after this many seconds. Longer than any task runs, grading's total limit
        # (180 s) with its sandbox start included, or a slow task would run twice.
        "visibility_timeout": env.int("DASI_BROKER_VISIBILITY_TIMEOUT", default=900),
    }
)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Workers outlive a broker restart: they reconnect for as long as it takes.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_TASK_SERIALIZER = "json"
CELERY_BEAT_SCHEDULE = {
    "publish-scheduled-pages": {"task": "courses.publish_scheduled", "schedule": 60.0},
    # Grades whose LTI platform stayed unreachable through every retry, posted again.
    "lti-retry-unreachable-grades": {"task": "lti.retry_unreachable_grades", "schedule": 3600.0},
    # Bulk-issue certificates whose queued message was lost are queued again.
    "certificates-batches-resume": {"task": "certificates.batches_resume", "schedule": 300.0},
    "certificates-completions-resume": {
        "task": "certificates.completions_resume",
        "schedule": 600.0,
    },
    # Gradings whose queued message was lost (older than any grading waits) are queued again.
    "gradings-resume": {"task": "assessments.gradings_resume", "schedule": 600.0},
    # Learning records left waiting (a store that was down, a lost queue message).
    "xapi-deliver": {"task": "xapi.deliver", "schedule": 60.0},
    # Stored risk rows marked stale by events, missing, or of an earlier day, computed again.
    "counselling-risk-refresh": {"task": "counselling.risk_refresh", "schedule": 60.0},
    # Monday 08:00 in TIME_ZONE: each counsellor's at-risk learners by e-mail.
    "counselling-weekly-digest": {
        "task": "counselling.weekly_digest",
        "schedule": crontab(minute=0, hour=8, day_of_week="mon"),
    },
    # Notification e-mails whose queued message was lost; course updates past their debounce.
    "notifications-emails-resume": {"task": "notifications.emails_resume", "schedule": 300.0},
    "notifications-course-updates": {
        "task": "notifications.course_updates_flush",
        "schedule": 300.0,
    },
    # Hourly: what is due in the next 48 h (each item is reminded once per due time).
    "notifications-deadlines": {
        "task": "notifications.deadline_reminders",
        "schedule": crontab(minute=15),
    },
    # 07:00 in TIME_ZONE: the daily digest of those who chose it.
    "notifications-daily-digest": {
        "task": "notifications.daily_digest",
        "schedule": crontab(minute=0, hour=7),
    },
    # 03:30 in TIME_ZONE: erasures past their grace period, expired exports, retention.
    "privacy-daily": {"task": "privacy.daily", "schedule": crontab(minute=30, hour=3)},
}
CELERY_ACCEPT_CONTENT = ["json"]
# Two queues, two kinds of worker: a grading spike never delays a certificate, an e-mail or a
# digest. Every task not named here goes to the default queue.
CELERY_TASK_DEFAULT_QUEUE = DEFAULT_QUEUE
CELERY_TASK_ROUTES = {
    "assessments.grade_submission": {"queue": GRADING_QUEUE},
}
CELERY_TIMEZONE = TIME_ZONE  # beat schedules (the weekly digest) follow the centres' clock

WAGTAIL_SITE_NAME = "Dasi"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://dongtan.localhost:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "ipynb", "odt", "pdf", "pptx", "txt", "xlsx", "zip"]
WAGTAILMEDIA = {"MEDIA_MODEL": "wagtailmedia.Media", "MEDIA_FORM_BASE": ""}
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No avatars from Gravatar: they would send a hash of each staff member's e-mail address to a
# third party on every admin page (and the CSP allows images from Dasi only).
WAGTAIL_GRAVATAR_PROVIDER_URL = None

SESSION_COOKIE_HTTPONLY = True
# Centres on subdomains of one domain (dongtan.dasi.kr, gimpo.dasi.kr) may share the sign-in:
# ".dasi.kr". The notebook hub's sign-in page lives on one address, so this spares learners of
# other centres a second sign-in there.
SESSION_COOKIE_DOMAIN = env("DJANGO_SESSION_COOKIE_DOMAIN", default=None)
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Features no Dasi page uses, refused to every frame (Permissions-Policy header).
DASI_PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "magnetometer=(), gyroscope=(), accelerometer=(), interest-cohort=()"
)

# Content Security Policy (django-csp): scripts only from Dasi's own static files or with the
# request's nonce; no inline handlers, no eval, no plugins, frames only from Dasi itself.
# The Wagtail admin needs more and gets it only under its own path (lms/security_headers.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    },
}

# Log lines as text (development) or one JSON object each (DASI_LOG_FORMAT=json, the default
# in production), for a log collector to index.
DASI_LOG_FORMAT = env("DASI_LOG_FORMAT", default="text")
LOG_FORMATS = ("text", "json")
if DASI_LOG_FORMAT not in LOG_FORMATS:
    raise ImproperlyConfigured(f"DASI_LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": DASI_LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
    },
}

# Certificates. Private signing keys are stored encrypted with this key-encryption secret.
DASI_KEY_ENCRYPTION_KEY = env("DASI_KEY_ENCRYPTION_KEY", default=SECRET_KEY)
DASI_CERTIFICATE_PREFIX = env("DASI_CERTIFICATE_PREFIX", default="DASI")

# xAPI learning records. The platform-wide Learning Record Store, for centres without their own
# (those are set in the admin, under Settings → Learning record stores); empty: none.
DASI_XAPI_LRS_URL = env("DASI_XAPI_LRS_URL", default="")  # the xAPI base, e.g. https://lrs/xAPI/
DASI_XAPI_LRS_USERNAME = env("DASI_XAPI_LRS_USERNAME", default="")
DASI_XAPI_LRS_PASSWORD = env("DASI_XAPI_LRS_PASSWORD", default="")
DASI_XAPI_TIMEOUT = env.float("DASI_XAPI_TIMEOUT", default=10.0)  # seconds per POST to a store
# Base of Dasi's own extension IRIs in statements (per-test results of notebook gradings).
DASI_XAPI_EXTENSIONS_BASE = env(
    "DASI_XAPI_EXTENSIONS_BASE", default=WAGTAILADMIN_BASE_URL.rstrip("/") + "/xapi/extensions/"
)

# Skill-gap recommender: the HDF5 artefact and the folder of pinned wheels / extracted model.
DASI_SKILLS_ARTIFACT = Path(
    env("DASI_SKILLS_ARTIFACT", default=str(BASE_DIR / "var" / "skills" / "taxonomy.h5"))
)
DASI_SKILLS_CACHE = Path(env("DASI_SKILLS_CACHE", default=str(BASE_DIR / "var" / "taxonomy-cache")))


def development_rsa_key(path: Path) -> str:
    """An RSA key kept in var/ for development and tests (created once); never for production."""
    if not path.exists():
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        path.touch(mode=0o600)
        path.write_bytes(pem)
    return path.read_text()


# Dasi is the OpenID Connect provider of the notebook hub (django-oauth-toolkit, mounted at /o/).
# The RSA key signs ID tokens; production must supply it, development keeps one in var/.
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": env("DASI_OIDC_RSA_PRIVATE_KEY", default=""),
    "PKCE_REQUIRED": True,
    "OAUTH2_VALIDATOR_CLASS": "lms.accounts.oidc.DasiOAuth2Validator",
    "SCOPES": {"openid": "OpenID Connect", "profile": "Name, hub user name and groups"},
    "DEFAULT_SCOPES": ["openid", "profile"],
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    # OAuth 2.0 Security BCP (RFC 9700): code flow with S256 PKCE only, tokens in headers only
    # and stored hashed, `iss` in the authorization response, refresh-token replay revokes all.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    # Plain http only for a hub on this machine (development, tests); production: https only.
    "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"],
}

# The notebook hub (JupyterHub). Empty DASI_HUB_URL turns the "Open exercise" button off and
# leaves the download/upload path; see deploy/jupyterhub/.
DASI_HUB_URL = env("DASI_HUB_URL", default="").rstrip("/")  # what browsers open
DASI_HUB_API_URL = env("DASI_HUB_API_URL", default="").rstrip(
    "/"
)  # hub REST API, if not URL/hub/api
DASI_HUB_API_TOKEN = env("DASI_HUB_API_TOKEN", default="")  # token of the hub service "dasi"
DASI_HUB_CLIENT_ID = env("DASI_HUB_CLIENT_ID", default="jupyterhub")
DASI_HUB_CLIENT_SECRET = env("DASI_HUB_CLIENT_SECRET", default="")
DASI_HUB_TIMEOUT = env.float("DASI_HUB_TIMEOUT", default=5.0)  # seconds per hub API call
DASI_HUB_SPAWN_TIMEOUT = env.int("DASI_HUB_SPAWN_TIMEOUT", default=90)  # then the launch has failed

# Metrics: django-prometheus's middleware plus lms/metrics.py, exported on a port of their own
# (DASI_METRICS_PORT, read by deploy/gunicorn.conf.py and lms/celery.py; lms/monitoring.py),
# never by the public app. No migration gauges: they query the database at start-up.
PROMETHEUS_EXPORT_MIGRATIONS = False

# Privacy (lms/privacy, docs/privacy.md).
# Ask signed-in people for the current consent before any page (off only for test suites
# whose accounts are made without the consent page; tests of the privacy app turn it on).
DASI_CONSENT_REQUIRED = env.bool("DASI_CONSENT_REQUIRED", default=True)
DASI_EXPORT_LINK_SECONDS = env.int("DASI_EXPORT_LINK_SECONDS", default=48 * 3600)  # link life
DASI_ERASURE_GRACE_DAYS = env.int("DASI_ERASURE_GRACE_DAYS", default=14)  # without a centre

# Notifications (lms/notifications, docs/notifications.md).
# Publications of a course within this many seconds of each other make one "course updated".
DASI_COURSE_UPDATE_DEBOUNCE = env.int("DASI_COURSE_UPDATE_DEBOUNCE", default=600)
# Dotted path to `(start, end) -> iterable of DueItem`: what is due, for the 48-hour reminders.
DASI_DUE_ITEMS_SOURCE = env("DASI_DUE_ITEMS_SOURCE", default="")
