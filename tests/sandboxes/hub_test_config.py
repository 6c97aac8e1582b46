"""The hub of the end-to-end tests: Dasi's own config plus what only tests need.

A test-admin service cleans users up between tests, and a spawn hook lets a test make one
learner's server fail to start, as a broken image or a full disk would.
"""

import os
from pathlib import Path

c = get_config()  # noqa: F821
load_subconfig(os.environ["DASI_HUB_BASE_CONFIG"])  # noqa: F821

c.JupyterHub.services.append(
    {"name": "test-admin", "api_token": os.environ["DASI_TEST_ADMIN_TOKEN"], "display": False}
)
c.JupyterHub.load_roles.append(
    {"name": "test-admin", "services": ["test-admin"], "scopes": ["admin:users", "admin:servers"]}
)


def _refuse_listed_users(spawner):
    listed = Path(os.environ["DASI_HUB_STATE_DIR"]) / "refuse-spawn"
    if listed.exists() and spawner.user.name in listed.read_text().split():
        raise RuntimeError("this server was told not to start (test)")


c.Spawner.pre_spawn_hook = _refuse_listed_users
