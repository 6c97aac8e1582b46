"""Settings shared by every environment; each value can be set from the environment.

dev.py, test.py and production.py import everything from here and change only what differs.
"""

from __future__ import annotations

from pathlib import Path

import environ
from celery.schedules import crontab

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
    "lms.privacy",
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
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
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
    "allauth.account.middleware.AccountMiddleware",
    "lms.privacy.middleware.ConsentRequiredMiddleware",
    "hub_sites.middleware.CentreMiddleware",
    "lms.caching.AnonymousPageCacheMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
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
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
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

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Dasi <no-reply@dasi.localhost>")

# Korean first, English second: UI strings through gettext, page content through Wagtail i18n.
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", "한국어"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
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
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
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
    else {}
)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_BEAT_SCHEDULE = {
    "publish-scheduled-pages": {"task": "courses.publish_scheduled", "schedule": 60.0},
    # Monday 08:00 in TIME_ZONE: each counsellor's at-risk learners by e-mail.
    "counselling-weekly-digest": {
        "task": "counselling.weekly_digest",
        "schedule": crontab(minute=0, hour=8, day_of_week="mon"),
    },
    # 03:30 in TIME_ZONE: erasures past their grace period, expired exports, retention.
    "privacy-daily": {"task": "privacy.daily", "schedule": crontab(minute=30, hour=3)},
}
CELERY_ACCEPT_CONTENT = ["json"]
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

SESSION_COOKIE_HTTPONLY = True
# Centres on subdomains of one domain (dongtan.dasi.kr, gimpo.dasi.kr) may share the sign-in:
# ".dasi.kr". The notebook hub's sign-in page lives on one address, so this spares learners of
# other centres a second sign-in there.
SESSION_COOKIE_DOMAIN = env("DJANGO_SESSION_COOKIE_DOMAIN", default=None)
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
    },
}

# Certificates. Private signing keys are stored encrypted with this key-encryption secret.
DASI_KEY_ENCRYPTION_KEY = env("DASI_KEY_ENCRYPTION_KEY", default=SECRET_KEY)
DASI_CERTIFICATE_PREFIX = env("DASI_CERTIFICATE_PREFIX", default="DASI")

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

# Privacy (lms/privacy, docs/privacy.md).
# Ask signed-in people for the current consent before any page (off only for test suites
# whose accounts are made without the consent page; tests of the privacy app turn it on).
DASI_CONSENT_REQUIRED = env.bool("DASI_CONSENT_REQUIRED", default=True)
DASI_EXPORT_LINK_SECONDS = env.int("DASI_EXPORT_LINK_SECONDS", default=48 * 3600)  # link life
DASI_ERASURE_GRACE_DAYS = env.int("DASI_ERASURE_GRACE_DAYS", default=14)  # without a centre
