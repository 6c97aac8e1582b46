"""Test settings: fast hashing, in-memory cache and e-mail, no network."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "dasi-test-key-not-secret"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
STORAGES["private"]["OPTIONS"]["location"] = str(BASE_DIR / "var" / "test-private")
CELERY_TASK_ALWAYS_EAGER = True  # tasks run in the test process; the worker test turns it off
ACCOUNT_RATE_LIMITS = False
DASI_CONSENT_REQUIRED = False  # accounts from factories; tests/privacy turn it on
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test.sqlite3")}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = 0
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_AUTOREFRESH = True
OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"] = OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"] or (  # noqa: F405
    development_rsa_key(BASE_DIR / "var" / "oidc-rsa.pem")  # noqa: F405
)
