"""JupyterHub for Dasi on one machine: Dasi is the login (OpenID Connect), learners' servers are
local processes. Kubernetes uses deploy/jupyterhub/helm/values.yaml instead.

Every setting comes from the environment (``make demo`` and the tests write it):
  DASI_URL                Dasi as browsers reach it (the OpenID Connect authorize page)
  DASI_INTERNAL_URL       Dasi as the hub reaches it for tokens and user info (default DASI_URL)
  DASI_HUB_URL            this hub as browsers reach it, e.g. http://127.0.0.1:8001
  DASI_HUB_CLIENT_SECRET  the secret of Dasi's OAuth client "jupyterhub" (manage.py hub_client)
  DASI_HUB_API_TOKEN      the token of the hub service "dasi"
  DASI_HUB_STATE_DIR      the hub's database, cookie secret and learners' homes when not root
  DASI_HUB_INTERNAL_PORT  where the hub listens for the proxy and the servers (default 8081)
  DASI_HUB_PROXY_API_PORT configurable-http-proxy's API port (default 8002)
  DASI_SINGLEUSER_ENV     the learners' Python environment (make singleuser builds it)
  DASI_HUB_CULL_TIMEOUT   seconds of inactivity before a server is stopped (default 3600)

Works with JupyterHub 6 and 5.x: the service role uses ``servers``, which holds ``start:servers``
in 6, and POST bodies are flat.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # dasi_return.py sits next to this file
import dasi_return  # noqa: E402
from jupyterhub.handlers import BaseHandler
from jupyterhub.spawner import LocalProcessSpawner, SimpleLocalProcessSpawner
from oauthenticator.generic import GenericOAuthenticator, LocalGenericOAuthenticator
from tornado import web

c = get_config()  # noqa: F821 — provided by JupyterHub when it loads this file

ROOT = Path(__file__).resolve().parents[2]
DASI_URL = os.environ["DASI_URL"].rstrip("/")
DASI_INTERNAL_URL = os.environ.get("DASI_INTERNAL_URL", DASI_URL).rstrip("/")
HUB_URL = os.environ["DASI_HUB_URL"].rstrip("/")
STATE_DIR = Path(os.environ.get("DASI_HUB_STATE_DIR", ROOT / "var" / "jupyterhub"))
SINGLEUSER_ENV = Path(os.environ.get("DASI_SINGLEUSER_ENV", "/opt/dasi/singleuser"))
HUB_PORT = int(os.environ.get("DASI_HUB_INTERNAL_PORT", "8081"))
PROXY_API_PORT = int(os.environ.get("DASI_HUB_PROXY_API_PORT", "8002"))
LEARNER_GROUP = "dasi-learners"  # the system group of learners' users (root mode)
AS_ROOT = os.geteuid() == 0

STATE_DIR.mkdir(parents=True, exist_ok=True, mode=0o700)

# --- Network ---------------------------------------------------------------------------------
c.JupyterHub.bind_url = HUB_URL  # public address (configurable-http-proxy listens here)
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{HUB_PORT}"  # the hub itself, for proxy + servers
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{PROXY_API_PORT}"
c.ConfigurableHTTPProxy.command = [str(ROOT / "node_modules" / ".bin" / "configurable-http-proxy")]
c.ConfigurableHTTPProxy.debug = False

# --- State -----------------------------------------------------------------------------------
c.JupyterHub.db_url = os.environ.get(
    "DASI_HUB_DB_URL", f"sqlite:///{STATE_DIR / 'jupyterhub.sqlite'}"
)
c.JupyterHub.cookie_secret_file = str(STATE_DIR / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE_DIR / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops the learners' servers
c.JupyterHub.cleanup_proxy = True


# --- Login through Dasi (OpenID Connect, authorization code + PKCE) ---------------------------
def _home_remove(name: str) -> None:
    """A deleted hub user (Dasi erased the learner) loses their home directory too."""
    if not name.startswith("dasi-"):
        return
    if AS_ROOT:
        subprocess.run(["pkill", "-KILL", "-u", name], check=False)  # noqa: S603, S607
        subprocess.run(["userdel", "--remove", name], check=False, capture_output=True)  # noqa: S603, S607
    else:
        shutil.rmtree(STATE_DIR / "homes" / name, ignore_errors=True)


class DasiLocalOAuthenticator(LocalGenericOAuthenticator):
    """Dasi's sign-in, a system user per learner (root); deleting the user removes it."""

    def delete_user(self, user):
        super().delete_user(user)
        _home_remove(user.name)


class DasiOAuthenticator(GenericOAuthenticator):
    """Dasi's sign-in (development without root); deleting the user removes their home."""

    def delete_user(self, user):
        super().delete_user(user)
        _home_remove(user.name)


if AS_ROOT:
    c.JupyterHub.authenticator_class = DasiLocalOAuthenticator
    c.LocalAuthenticator.create_system_users = True  # a system user per person, at first login
    c.LocalAuthenticator.add_user_cmd = [
        "useradd", "--create-home", "--gid", LEARNER_GROUP, "--shell", "/usr/sbin/nologin",
        "-K", "HOME_MODE=0700", "-K", "UMASK=077",
    ]  # fmt: skip
else:
    c.JupyterHub.authenticator_class = DasiOAuthenticator
c.GenericOAuthenticator.client_id = os.environ.get("DASI_HUB_CLIENT_ID", "jupyterhub")
c.GenericOAuthenticator.client_secret = os.environ["DASI_HUB_CLIENT_SECRET"]
c.GenericOAuthenticator.oauth_callback_url = f"{HUB_URL}/hub/oauth_callback"
c.GenericOAuthenticator.authorize_url = f"{DASI_URL}/o/authorize/"
c.GenericOAuthenticator.token_url = f"{DASI_INTERNAL_URL}/o/token/"
c.GenericOAuthenticator.userdata_url = f"{DASI_INTERNAL_URL}/o/userinfo/"
c.GenericOAuthenticator.scope = ["openid", "profile"]
c.GenericOAuthenticator.username_claim = "preferred_username"  # dasi-<id>: never changes
c.GenericOAuthenticator.enable_pkce = True
c.GenericOAuthenticator.basic_auth = True  # client secret in the Authorization header
c.GenericOAuthenticator.login_service = "Dasi"
c.Authenticator.auto_login = True  # no hub login page: straight to Dasi
c.Authenticator.allow_all = True  # Dasi decides who gets a token
c.Authenticator.manage_groups = True  # hub groups follow Dasi's "groups" claim on every login
c.GenericOAuthenticator.auth_state_groups_key = "oauth_user.groups"
c.Authenticator.admin_users = set()  # nobody administers the hub through the browser
c.Authenticator.logout_redirect_url = f"{DASI_URL}/"

# --- Dasi as a hub service: its role reaches learners' servers only, never admin --------------
c.JupyterHub.services = [
    {"name": "dasi", "api_token": os.environ["DASI_HUB_API_TOKEN"], "display": False},
    {
        "name": "idle-culler",
        "command": [
            sys.executable, "-m", "jupyterhub_idle_culler",
            f"--timeout={os.environ.get('DASI_HUB_CULL_TIMEOUT', '3600')}", "--cull-every=300",
        ],
    },
]  # fmt: skip
c.JupyterHub.load_roles = [
    {
        "name": "dasi-service",
        "description": "Dasi starts, reads and provisions learners' servers",
        "services": ["dasi"],
        "scopes": [
            "read:users!group=learners",
            "servers!group=learners",  # start (JupyterHub 6: start:servers), stop, read
            # Short-lived tokens for one learner's own server, to provision and collect through
            # the contents API: a server does not resolve group filters ("!group=") itself.
            "tokens!group=learners",
            "access:servers!group=learners",
            # Erasure of a learner's account (lms/privacy) deletes their hub user.
            "admin:users!group=learners",
        ],
    },
    {
        "name": "idle-culler",
        "services": ["idle-culler"],
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    },
]

# --- Learners' servers ----------------------------------------------------------------------
c.Spawner.cmd = [str(SINGLEUSER_ENV / "bin" / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = int(os.environ.get("DASI_HUB_START_TIMEOUT", "60"))
c.Spawner.http_timeout = 20
# JupyterLab in the learner's language: Dasi's languages and the language packs installed in the
# learners' environment (singleuser-requirements.txt); an unknown or missing one gets Korean.
LAB_LOCALES = {"ko": "ko_KR", "en": "en"}


def lab_config_path(spawner) -> str:
    """JUPYTER_CONFIG_PATH of a learner's server: the labconfig folder of their language.

    Dasi names the language when it starts the server (a flat POST body, i.e. user_options
    ``{"language": "en"}``, from the learner's page language); a server the hub starts by itself
    gets Korean. The folder holds default_setting_overrides.json, so it sets JupyterLab's default
    and a learner's own choice in Settings → Language still wins.
    """
    language = str((spawner.user_options or {}).get("language", ""))
    locale = LAB_LOCALES.get(language, LAB_LOCALES["ko"])
    return str(SINGLEUSER_ENV / "etc" / "jupyter" / "lab-locales" / locale)


c.Spawner.environment = {
    "PYTHONNOUSERSITE": "1",
    "MPLBACKEND": "Agg",
    "JUPYTER_CONFIG_PATH": lab_config_path,
}
# No update checks or news from the internet, no language servers: see jupyter_server_config.json,
# installed into the environment's etc/jupyter by `make singleuser`.
c.JupyterHub.concurrent_spawn_limit = 20
c.JupyterHub.tornado_settings = {"slow_spawn_timeout": 0}  # start answers at once; Dasi polls
c.JupyterHub.implicit_spawn_seconds = 0.5  # /hub/user-redirect/... starts a stopped server


class _AnswersWhenReady:
    """Return from start() once the server accepts connections (checked every 50 ms).

    The hub then finds it up at its first check; otherwise its backoff (0.2 s doubling to 5 s)
    can leave a started server waiting seconds for the hub to notice.
    """

    async def start(self):
        import asyncio

        ip, port = await super().start()
        deadline = asyncio.get_running_loop().time() + self.http_timeout
        while asyncio.get_running_loop().time() < deadline:
            try:
                _reader, writer = await asyncio.open_connection(ip or "127.0.0.1", port)
            except OSError:
                if await self.poll() is not None:
                    break  # the process died: the hub reports the failure
                await asyncio.sleep(0.05)
                continue
            writer.close()
            break
        return ip, port


class DasiLocalProcessSpawner(_AnswersWhenReady, LocalProcessSpawner):
    """One system user per learner (root)."""


class DasiSimpleSpawner(_AnswersWhenReady, SimpleLocalProcessSpawner):
    """Every server as the hub's own user (development without root)."""


if AS_ROOT:
    # Each learner is a system user of group dasi-learners, with a private home (0700). The
    # platform's own files stay out of reach (below).
    c.JupyterHub.spawner_class = DasiLocalProcessSpawner
    c.Spawner.notebook_dir = "~"
    getent = ["getent", "group", LEARNER_GROUP]
    if subprocess.run(getent, capture_output=True).returncode:  # noqa: S603, S607
        subprocess.run(["groupadd", "--system", LEARNER_GROUP], check=True)  # noqa: S603, S607
    # var/ holds Dasi's database, keys, uploads and this hub's state: learners may pass through
    # it (0711: the grading sandbox binds var/grader-runtime) but read nothing in it.
    var = ROOT / "var"
    if var.is_dir():
        var.chmod(0o711)
        for entry in var.iterdir():
            if entry.name != "grader-runtime" and not entry.is_symlink():
                entry.chmod(0o700 if entry.is_dir() else 0o600)
    if (ROOT / ".env").exists():
        (ROOT / ".env").chmod(0o600)
else:
    c.JupyterHub.spawner_class = DasiSimpleSpawner
    c.DasiSimpleSpawner.home_dir_template = str(STATE_DIR / "homes" / "{username}")
    print(
        "WARNING: the hub is not running as root, so learners' servers run as this user with "
        "no isolation from each other or from Dasi. Use it for development only.",
        file=sys.stderr,
    )


# --- Network for learners' code (root mode): only the hub, nothing else ---------------------
def _learner_firewall() -> None:
    """Learners' processes may answer the proxy and call the hub, and open nothing else.

    Loopback services (PostgreSQL, Redis, Dasi) and the outside network stay out of reach. On
    Kubernetes the chart's network policy does this job.
    """
    ephemeral = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
    for tool in ("iptables", "ip6tables"):
        binary = shutil.which(tool)
        if not binary:
            print(
                f"WARNING: {tool} is missing; learners' code can reach the network.",
                file=sys.stderr,
            )
            continue
        chain = "DASI-LEARNERS"

        def run(*args, binary=binary):
            return subprocess.run([binary, "-w", *args], capture_output=True)  # noqa: S603

        run("-N", chain)
        run("-F", chain)
        run("-A", chain, "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT")
        if tool == "iptables":
            hub = ["-d", "127.0.0.1", "-p", "tcp", "--dport", str(HUB_PORT)]
            run("-A", chain, *hub, "-j", "ACCEPT")
            # A server talks to its own kernels over loopback on ephemeral ports (ZeroMQ, signed
            # with a key only the learner can read); services listen below that range.
            kernels = ["-o", "lo", "-p", "tcp", "--dport", ":".join(ephemeral)]
            run("-A", chain, "-d", "127.0.0.1", *kernels, "-j", "ACCEPT")
        run("-A", chain, "-j", "REJECT")
        rule = ["OUTPUT", "-m", "owner", "--gid-owner", LEARNER_GROUP, "-j", chain]
        if run("-C", *rule).returncode:
            run("-I", *rule)


if AS_ROOT and os.environ.get("DASI_HUB_FIREWALL", "1") == "1":
    _learner_firewall()


# --- Back to Dasi after the first hub login ------------------------------------------------
class DasiReturnHandler(BaseHandler):
    """After a person's first hub login, send them back to their launch page in Dasi.

    Only Dasi's own launch pages on a known centre origin are reachable (dasi_return.py), so this
    is no open redirect.
    """

    @web.authenticated
    def get(self):
        target = dasi_return.return_url(
            launch=self.get_argument("launch", ""),
            origin=self.get_argument("origin", DASI_URL),
            dasi_url=DASI_URL,
            origins=os.environ.get("DASI_ORIGINS", ""),
        )
        if target is None:
            raise web.HTTPError(400, "unknown launch")
        self.redirect(target)


c.JupyterHub.extra_handlers = [(r"/dasi-return", DasiReturnHandler)]
