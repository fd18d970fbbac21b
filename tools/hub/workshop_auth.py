"""A JupyterHub authenticator for a workshop: one account per learner, each with its own password.

The instructor makes the accounts with `./lab hub accounts N`, which prints each learner's name and
a random password to hand out and stores only salted PBKDF2 hashes in the accounts file this
authenticator reads. Unlike JupyterHub's shared-password authenticator, knowing your own password
does not let you log in as anyone else. Only the names in the file can log in; nobody can sign up.
"""

import hashlib
import hmac
import json
import os
import secrets

from jupyterhub.auth import Authenticator
from traitlets import Unicode

ITERATIONS = 200_000


def hash_password(password, salt=None):
    """'pbkdf2_sha256$iterations$salt$hash' for a password (a fresh random salt unless one is given)."""
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), ITERATIONS).hex()
    return f"pbkdf2_sha256${ITERATIONS}${salt}${digest}"


def verify_password(password, stored):
    """Whether the password matches a value made by hash_password (constant-time comparison)."""
    try:
        scheme, iterations, salt, digest = stored.split("$")
    except (AttributeError, ValueError):
        return False
    if scheme != "pbkdf2_sha256":
        return False
    candidate = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), int(iterations)).hex()
    return hmac.compare_digest(candidate, digest)


def read_accounts(path):
    """The accounts file: {"learners": {name: hash}, "admins": [names]}; empty when it does not exist."""
    if not path or not os.path.exists(path):
        return {"learners": {}, "admins": []}
    with open(path) as f:
        data = json.load(f)
    data.setdefault("learners", {})
    data.setdefault("admins", [])
    return data


class WorkshopAuthenticator(Authenticator):
    """Logs in the accounts of a workshop's accounts file, each with its own password."""

    accounts_file = Unicode(
        os.environ.get("RNNLAB_HUB_ACCOUNTS", ""),
        config=True,
        help="JSON file of learners' password hashes, written by ./lab hub accounts.",
    )

    def _accounts(self):
        # Read on every login, so that accounts added during a workshop work without a restart.
        return read_accounts(self.accounts_file)

    def check_allowed(self, username, authentication=None):
        return username in self._accounts()["learners"]

    async def authenticate(self, handler, data):
        if not isinstance(data, dict):
            return None
        name = self.normalize_username(str(data.get("username", "")))
        password = str(data.get("password", ""))
        stored = self._accounts()["learners"].get(name)
        if stored is None or not verify_password(password, stored):
            self.log.warning("Refused login for %r", name)
            return None
        return {"name": name, "admin": name in self._accounts()["admins"]}
