"""Local development: debug on, console e-mail, SQLite and the filesystem broker by default."""

from .base import *  # noqa: F403

DEBUG = env.bool("DJANGO_DEBUG", default=True)
INTERNAL_IPS = ["127.0.0.1"]
