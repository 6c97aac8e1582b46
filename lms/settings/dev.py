"""Local development: debug on, console e-mail, SQLite and the filesystem broker by default."""

from .base import *  # noqa: F403

DEBUG = env.bool("DJANGO_DEBUG", default=True)
INTERNAL_IPS = ["127.0.0.1"]
OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"] = OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"] or (  # noqa: F405
    development_rsa_key(BASE_DIR / "var" / "oidc-rsa.pem")  # noqa: F405
)
