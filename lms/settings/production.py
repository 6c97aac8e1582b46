"""Production: every secret comes from the environment, and start-up fails without it."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False

SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set DJANGO_ALLOWED_HOSTS to the centres' host names.")
if "DATABASE_URL" not in env:
    raise ImproperlyConfigured("Set DATABASE_URL (postgres://...) for production.")
DATABASES = {"default": env.db("DATABASE_URL")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Small single-machine installs: WAL and immediate transactions avoid "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
    }
# Encrypts the centres' certificate signing keys at rest; keep it apart from the database.
DASI_KEY_ENCRYPTION_KEY = env("DASI_KEY_ENCRYPTION_KEY")
# Signs the ID tokens Dasi gives the notebook hub (OpenID Connect); needed once a hub is set up.
if DASI_HUB_URL and not OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"]:
    raise ImproperlyConfigured("Set DASI_OIDC_RSA_PRIVATE_KEY (PEM) to sign the hub's ID tokens.")
OAUTH2_PROVIDER["ALLOWED_REDIRECT_URI_SCHEMES"] = ["https"]  # the hub's callback is https
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")

STORAGES["staticfiles"] = {
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
}

# Behind a TLS-terminating proxy that sets X-Forwarded-Proto and appends the client's address
# to X-Forwarded-For (the lockout counts per address; DASI_PROXY_HOPS=2 behind two proxies).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
DASI_PROXY_HOPS = env.int("DASI_PROXY_HOPS", default=1)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("DJANGO_CSRF_COOKIE_SECURE", default=True)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE

LOGGING["root"]["level"] = env("LOG_LEVEL", default="WARNING")

# Wagtail's live preview shows the page in a same-origin iframe, so frames stay SAMEORIGIN
# (set in base.py) rather than DENY; the deploy check that asks for DENY is silenced for that.
SILENCED_SYSTEM_CHECKS = ["security.W019"]
