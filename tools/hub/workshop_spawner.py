"""Spawners for the workshop hub that leave no kernels behind.

JupyterHub stops a local learner's server with signals; Jupyter starts each kernel in a session of its own,
so a Java kernel can outlive a server stopped that way and keep its memory (measured: after the load run's
first level every learner's kernel was still alive). These spawners first ask the learner's server to shut
its kernels down through its REST API, then stop it; with system users they finally end whatever the
learner's uid still runs.
"""

import json
import subprocess

from jupyterhub.spawner import LocalProcessSpawner, SimpleLocalProcessSpawner
from tornado.httpclient import AsyncHTTPClient, HTTPRequest


async def shut_down_kernels(spawner):
    if not spawner.server or not spawner.api_token:
        return
    base = spawner.server.url.rstrip("/") + "/api/kernels"
    headers = {"Authorization": f"token {spawner.api_token}"}
    client = AsyncHTTPClient()
    try:
        r = await client.fetch(HTTPRequest(base, headers=headers, request_timeout=10))
        for kernel in json.loads(r.body):
            await client.fetch(
                HTTPRequest(f"{base}/{kernel['id']}", method="DELETE", headers=headers, request_timeout=30),
                raise_error=False,
            )
    except Exception as e:  # noqa: BLE001 (the server may be gone already; stopping goes on)
        spawner.log.warning("Could not shut down the kernels of %s before stopping: %s", spawner.user.name, e)


class WorkshopSpawner(LocalProcessSpawner):
    """Each learner a system user; kernels shut down before the server stops, leftovers of the uid ended."""

    async def stop(self, now=False):
        if not now:
            await shut_down_kernels(self)
        await super().stop(now=now)
        subprocess.run(["pkill", "-KILL", "-u", self.user.name], check=False)


class SameUserWorkshopSpawner(SimpleLocalProcessSpawner):
    """Every learner as the hub's own user (a demonstration); kernels shut down before the server stops."""

    async def stop(self, now=False):
        if not now:
            await shut_down_kernels(self)
        await super().stop(now=now)
