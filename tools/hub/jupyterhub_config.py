# JupyterHub for a workshop of the RNN lab, on one machine. Started by `./lab hub start` (and by the load
# run and its test), which set the RNNLAB_HUB_* variables below; see docs/workshops.md.
#
# Everything listens on 127.0.0.1: put a TLS-terminating reverse proxy in front of it to open it to a room.
# Learners log in with their own account (workshop_auth.py). With RNNLAB_HUB_SPAWNER=system (the default
# when the hub runs as root) each learner is a system user: their server and kernels run under their own
# uid, in their own home, and cannot read each other's files. RNNLAB_HUB_SPAWNER=same-user runs every
# learner as the hub's own user (a laptop demonstration; learners' code could read each other's files).
import os
import sys

env = os.environ
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)

state = env["RNNLAB_HUB_DIR"]
port = int(env.get("RNNLAB_HUB_PORT", "8000"))

c.JupyterHub.bind_url = f"http://127.0.0.1:{port}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = port + 1
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{port + 2}"
c.ConfigurableHTTPProxy.command = [env["RNNLAB_HUB_PROXY"]]
c.ConfigurableHTTPProxy.auth_token = env["RNNLAB_HUB_PROXY_TOKEN"]
c.JupyterHub.cookie_secret_file = os.path.join(state, "cookie_secret")
c.JupyterHub.db_url = "sqlite:///" + env.get("RNNLAB_HUB_DB", os.path.join(state, "jupyterhub.sqlite"))
c.JupyterHub.log_level = env.get("RNNLAB_HUB_LOG_LEVEL", "WARN")

from workshop_auth import WorkshopAuthenticator  # noqa: E402

c.JupyterHub.authenticator_class = WorkshopAuthenticator
c.WorkshopAuthenticator.accounts_file = env["RNNLAB_HUB_ACCOUNTS"]

# The instructor's tools (the load run, ./lab hub status) talk to the hub's REST API with this token.
c.JupyterHub.services = [{"name": "workshop-admin", "api_token": env["RNNLAB_HUB_ADMIN_TOKEN"]}]
c.JupyterHub.load_roles = [
    {
        "name": "workshop-admin",
        "scopes": ["admin:users", "admin:servers", "list:users", "read:users", "access:servers"],
        "services": ["workshop-admin"],
    }
]

# Each learner's server: the course's Python (readable by every learner), only the course kernel offered,
# JupyterLab first, kernels culled by nothing (a workshop is short; stop servers from the admin page).
from workshop_spawner import SameUserWorkshopSpawner, WorkshopSpawner  # noqa: E402

if env.get("RNNLAB_HUB_SPAWNER", "system") == "same-user":
    c.JupyterHub.spawner_class = SameUserWorkshopSpawner
    c.SameUserWorkshopSpawner.home_dir_template = os.path.join(state, "homes", "{username}")
else:
    c.JupyterHub.spawner_class = WorkshopSpawner
c.Spawner.cmd = [env["RNNLAB_HUB_SINGLEUSER"]]
c.Spawner.ip = "127.0.0.1"
c.Spawner.default_url = "/lab/tree/exercises/00-start-here.ipynb"
c.Spawner.args = ["--KernelSpecManager.allowed_kernelspecs=rnnlab"]
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.environment = {
    "JUPYTER_PATH": env["RNNLAB_HUB_JUPYTER"],
    "JUPYTER_CONFIG_PATH": env["RNNLAB_HUB_SERVER_CONFIG"],
    "RNNLAB_MODE": env.get("RNNLAB_MODE", "quick"),
    # Learners share the machine's cores: each kernel trains on one thread unless the instructor says otherwise
    # (a kernel alone uses every core; docs/workshops.md measured one thread per kernel).
    "RNNLAB_THREADS": env.get("RNNLAB_THREADS", "1"),
    **({"RNNLAB_IMDB": env["RNNLAB_IMDB"]} if env.get("RNNLAB_IMDB") else {}),
}
