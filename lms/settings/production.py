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
# A kept connection is pinged before each request reuses it: after a database restart the first
# request gets a new connection instead of an error.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Every web instance and worker shares its state: nothing a request or task depends on may live
# in one process. The cache holds the sign-in rate limits (allauth), the anonymous page cache and
# its generation number; sessions are rows in the database; the broker is a server.
PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.filebased.FileBasedCache",
    "django.core.cache.backends.dummy.DummyCache",
)
if "CACHE_URL" not in env:
    raise ImproperlyConfigured("Set CACHE_URL (redis://...) for production: one cache for all.")
CACHES = {"default": env.cache("CACHE_URL")}
if CACHES["default"]["BACKEND"] in PER_PROCESS_CACHES:
    raise ImproperlyConfigured(
        "CACHE_URL must name a shared cache (redis://...), not " + env("CACHE_URL")
    )
SESSION_ENGINE = "django.contrib.sessions.backends.db"
if CELERY_BROKER_URL.startswith(("filesystem:", "memory:")):
    raise ImproperlyConfigured(
        "Set CELERY_BROKER_URL (redis://...) for production: one broker for all."
    )

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

# Kubernetes probes reach the pod by its IP (POD_IP from the downward API) over plain HTTP.
if env("POD_IP", default=""):
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, env("POD_IP")]
SECURE_REDIRECT_EXEMPT = [r"^health/"]

DASI_LOG_FORMAT = env("DASI_LOG_FORMAT", default="json")
if DASI_LOG_FORMAT not in LOG_FORMATS:
    raise ImproperlyConfigured(f"DASI_LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}.")
LOGGING["handlers"]["console"]["formatter"] = DASI_LOG_FORMAT
