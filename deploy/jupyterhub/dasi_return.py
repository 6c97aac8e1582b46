"""Where the hub's /hub/dasi-return sends a browser: a launch page on one of Dasi's centres.

Standard library only: JupyterHub loads it next to jupyterhub_config.py, and Dasi's tests load
it without the hub. The same rule as Dasi's own return addresses (lms/accounts/redirects.py):
the browser only ever goes to a known origin, and the path is built here, never taken from input.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_LAUNCH = re.compile(r"[0-9a-f-]{1,36}")


def origin_normalise(url: str) -> str:
    """``scheme://host[:port]`` of an http(s) origin in lower case, or "" for anything else
    (paths, queries, user names, backslashes and control bytes are not origins)."""
    url = url.strip()
    if not url or "\\" in url or any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in url):
        return ""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 — raises ValueError on a port that is not a number
    except ValueError:
        return ""
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    if parts.username or parts.password or parts.query or parts.fragment:
        return ""
    if parts.path.strip("/"):
        return ""
    return f"{parts.scheme}://{parts.netloc.lower()}"


def return_url(*, launch: str, origin: str, dasi_url: str, origins: str = "") -> str | None:
    """The launch page to send the browser to, on ``origin`` if it is Dasi's own address or one
    of the comma-separated centre ``origins``, else on ``dasi_url``. None for a launch id that
    is not a UUID's characters (the handler answers 400)."""
    if not launch or not _LAUNCH.fullmatch(launch):
        return None
    home = origin_normalise(dasi_url)
    allowed = {home} | {origin_normalise(item) for item in origins.split(",")}
    allowed.discard("")
    chosen = origin_normalise(origin)
    if chosen not in allowed:
        chosen = home
    return f"{chosen}/sandboxes/launches/{launch}/"
