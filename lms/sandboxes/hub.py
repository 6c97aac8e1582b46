"""A small client of the JupyterHub REST API and of learners' servers, as the hub service "dasi".

Dasi holds one service token whose role reaches the servers of the hub's ``learners`` group only:
start them, read their state, and read and write files through the Jupyter contents API (see
deploy/jupyterhub/jupyterhub_config.py). No Django models here; the services decide what to do.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from functools import cache
from urllib.parse import quote

from django.conf import settings

import requests

USER_TOKEN_SECONDS = 3600


class HubError(Exception):
    """The hub answered, but not as expected (a refused start, a missing scope, a bad reply)."""


class HubUnavailable(HubError):
    """The hub did not answer: down, unreachable or too slow."""


class SpawnFailed(HubError):
    """The hub could not start the learner's server."""


class NotFound(HubError):
    """The user, server or file does not exist (yet)."""


@dataclass(frozen=True)
class ServerState:
    """One learner's default server as the hub reports it."""

    exists: bool  # the hub knows the user (they have logged in to the hub once)
    ready: bool
    pending: str | None  # "spawn", "stop" or None
    url: str = ""


def hub_configured() -> bool:
    """Whether this installation has a notebook hub (else learners download and upload)."""
    return bool(settings.DASI_HUB_URL and settings.DASI_HUB_API_TOKEN)


@cache
def _session() -> requests.Session:
    # One keep-alive session per process: a launch makes a handful of calls in a row.
    return requests.Session()


class HubClient:
    """Calls the hub API and the learners' servers with the service token."""

    def __init__(self, *, url: str = "", api_url: str = "", token: str = "", timeout: float = 0):
        self.url = (url or settings.DASI_HUB_URL).rstrip("/")
        self.api_url = (api_url or settings.DASI_HUB_API_URL or f"{self.url}/hub/api").rstrip("/")
        self.token = token or settings.DASI_HUB_API_TOKEN
        self.timeout = timeout or settings.DASI_HUB_TIMEOUT

    def _request(self, method: str, url: str, token: str = "", **kwargs) -> requests.Response:
        headers = {"Authorization": f"token {token or self.token}", **kwargs.pop("headers", {})}
        try:
            response = _session().request(
                method, url, headers=headers, timeout=self.timeout, allow_redirects=False, **kwargs
            )
        except requests.RequestException as exc:
            raise HubUnavailable(f"the notebook hub did not answer ({type(exc).__name__})") from exc
        if response.status_code == 404:
            raise NotFound(url)
        if response.status_code in (502, 503, 504):
            raise HubUnavailable(f"the notebook hub answered {response.status_code}")
        return response

    # --- hub API -------------------------------------------------------------------------

    def server_state(self, username: str) -> ServerState:
        """The learner's default server; ``exists=False`` before their first hub login."""
        try:
            response = self._request("GET", f"{self.api_url}/users/{quote(username)}")
        except NotFound:
            return ServerState(exists=False, ready=False, pending=None)
        if response.status_code == 403:
            raise HubError("the hub refused to show this user to Dasi (not a learner?)")
        if response.status_code != 200:
            raise HubError(f"the hub answered {response.status_code} for the user")
        model = response.json()
        server = (model.get("servers") or {}).get("")
        if not server:
            return ServerState(exists=True, ready=False, pending=model.get("pending"))
        return ServerState(
            exists=True,
            ready=bool(server.get("ready")),
            pending=server.get("pending"),
            url=server.get("url", ""),
        )

    def server_start(self, username: str, *, language: str = "") -> None:
        """Ask the hub to start the learner's default server (no-op if it runs or is starting).

        ``language`` ("ko", "en") becomes the server's user options: the hub starts JupyterLab
        in it (deploy/jupyterhub/jupyterhub_config.py, ``lab_config_path``).
        """
        options = {"language": language} if language else {}
        response = self._request(
            "POST", f"{self.api_url}/users/{quote(username)}/server", json=options
        )
        if response.status_code in (201, 202):
            return
        if response.status_code == 400 and "already" in response.text.lower():
            return
        raise SpawnFailed(f"the hub could not start the server ({response.status_code})")

    def server_progress(self, username: str) -> list[dict]:
        """The spawn's progress events so far (percent and message), without waiting for more."""
        try:
            response = self._request(
                "GET",
                f"{self.api_url}/users/{quote(username)}/server/progress",
                stream=True,
                headers={"Accept": "text/event-stream"},
            )
        except NotFound:
            return []
        events = []
        try:
            # The hub keeps the stream open until the spawn ends; read what is there now.
            for line in response.iter_lines(chunk_size=None, decode_unicode=True):
                if line and line.startswith("data:"):
                    events.append(json.loads(line[5:]))
                    break
        except (requests.RequestException, ValueError):
            pass
        finally:
            response.close()
        return events

    def user_delete(self, username: str) -> None:
        """Delete a learner's hub user (the hub stops their server and removes their home
        directory: deploy/jupyterhub/jupyterhub_config.py). A user the hub never knew is
        already gone."""
        try:
            response = self._request("DELETE", f"{self.api_url}/users/{quote(username)}")
        except NotFound:
            return
        if response.status_code != 204:
            raise HubError(f"the hub answered {response.status_code} deleting the user")

    # --- a learner's server (Jupyter contents API through the proxy) ----------------------

    def user_token(self, username: str, *, fresh: bool = False) -> str:
        """A short-lived token that reaches only this learner's server (cached for its life).

        A learner's server checks tokens itself and cannot resolve the service role's group
        filter, so Dasi asks the hub for a token owned by the learner with the single scope
        ``access:servers!user=<name>``.
        """
        from django.core.cache import cache

        key = f"sandboxes:hub-token:{username}"
        token = None if fresh else cache.get(key)
        if token:
            return token
        response = self._request(
            "POST",
            f"{self.api_url}/users/{quote(username)}/tokens",
            json={
                "expires_in": USER_TOKEN_SECONDS,
                "scopes": [f"access:servers!user={username}"],
                "note": "Dasi: copy exercises in, collect submissions",
            },
        )
        if response.status_code not in (200, 201):
            raise HubError(
                f"the hub refused a token for the learner's server ({response.status_code})"
            )
        token = response.json()["token"]
        cache.set(key, token, USER_TOKEN_SECONDS - 600)
        return token

    def _contents(self, method: str, username: str, path: str, **kwargs) -> requests.Response:
        return self._server_api(method, username, f"contents/{quote(path)}", **kwargs)

    def _server_api(self, method: str, username: str, path: str, **kwargs) -> requests.Response:
        url = f"{self.url}/user/{quote(username)}/api/{path}"
        response = self._request(method, url, token=self.user_token(username), **kwargs)
        if response.status_code in (401, 403):  # expired or revoked: one fresh token
            token = self.user_token(username, fresh=True)
            response = self._request(method, url, token=token, **kwargs)
        return response

    def kernelspec(self, username: str, name: str = "") -> dict:
        """The server's kernelspec ``name`` (else its default kernel) as the kernelspecs API
        shows it (``name``; ``spec``: display_name, language, metadata); {} if it has none."""
        response = self._server_api("GET", username, "kernelspecs")
        if response.status_code != 200:
            raise HubError(f"the learner's server answered {response.status_code} for kernels")
        model = response.json()
        specs = model.get("kernelspecs") or {}
        return specs.get(name) or specs.get(model.get("default", "")) or {}

    def file_exists(self, username: str, path: str) -> bool:
        """Whether the file or folder exists in the learner's home."""
        try:
            response = self._contents("GET", username, path, params={"content": 0})
        except NotFound:
            return False
        if response.status_code != 200:
            raise HubError(f"the learner's server answered {response.status_code} for {path}")
        return True

    def folder_create(self, username: str, path: str) -> None:
        """Create a folder (parents must exist)."""
        response = self._contents("PUT", username, path, json={"type": "directory"})
        if response.status_code not in (200, 201):
            raise HubError(f"could not create {path} ({response.status_code})")

    def file_put(self, username: str, path: str, content: bytes) -> None:
        """Write a file in the learner's home (the caller checks it is absent first)."""
        body = {"type": "file", "format": "base64", "content": base64.b64encode(content).decode()}
        response = self._contents("PUT", username, path, json=body)
        if response.status_code not in (200, 201):
            raise HubError(f"could not write {path} ({response.status_code})")

    def file_get(self, username: str, path: str) -> bytes:
        """The file's bytes as saved on the learner's server."""
        response = self._contents(
            "GET", username, path, params={"type": "file", "format": "base64", "content": 1}
        )
        if response.status_code != 200:
            raise HubError(f"could not read {path} ({response.status_code})")
        model = response.json()
        if model.get("format") == "base64":
            return base64.b64decode(model["content"])
        return model["content"].encode()

    def lab_url(self, username: str, path: str) -> str:
        """Where the browser opens the notebook in JupyterLab."""
        return f"{self.url}/user/{quote(username)}/lab/tree/{quote(path)}"
