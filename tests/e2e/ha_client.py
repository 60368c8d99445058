"""Talk to a running Home Assistant the way its frontend does: REST for onboarding, auth and
config flows, the websocket API for everything else."""

from __future__ import annotations

from collections.abc import AsyncIterator
import contextlib
import itertools
from typing import Any

import aiohttp

USERNAME = "e2e"
PASSWORD = "e2e-password-123"  # a throwaway user of a throwaway instance


class HaError(AssertionError):
    """Home Assistant answered with an error (an assertion: the test fails with the reason)."""


async def _json(response: aiohttp.ClientResponse, what: str) -> Any:
    if response.status >= 400:
        body = await response.text()
        msg = f"{what}: HTTP {response.status}: {body}"
        raise HaError(msg)
    return await response.json()


async def onboard(session: aiohttp.ClientSession, base: str) -> str:
    """Complete onboarding over REST like the onboarding UI; return an access token.

    The user step answers an auth code (exchanged for tokens as the frontend does); the core
    config, analytics and integration steps then only need to be marked done.
    """
    client_id = f"{base}/"
    async with session.post(
        f"{base}/api/onboarding/users",
        json={
            "client_id": client_id,
            "name": "E2E Tester",
            "username": USERNAME,
            "password": PASSWORD,
            "language": "en",
        },
    ) as response:
        auth_code = (await _json(response, "onboarding user"))["auth_code"]
    async with session.post(
        f"{base}/auth/token",
        data={"grant_type": "authorization_code", "code": auth_code, "client_id": client_id},
    ) as response:
        token: str = (await _json(response, "token"))["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    for step in ("core_config", "analytics"):
        async with session.post(f"{base}/api/onboarding/{step}", headers=headers) as response:
            await _json(response, f"onboarding {step}")
    async with session.post(
        f"{base}/api/onboarding/integration",
        headers=headers,
        json={"client_id": client_id, "redirect_uri": f"{base}/?auth_callback=1"},
    ) as response:
        await _json(response, "onboarding integration")
    async with session.get(f"{base}/api/onboarding") as response:
        steps = await _json(response, "onboarding status")
    pending = [step for step in steps if not step["done"]]
    if pending:
        msg = f"onboarding steps still pending: {pending}"
        raise HaError(msg)
    return token


class RestClient:
    """Authenticated REST calls."""

    def __init__(self, session: aiohttp.ClientSession, base: str, token: str) -> None:
        """Bind to an instance and a token."""
        self._session = session
        self.base = base
        self._headers = {"Authorization": f"Bearer {token}"}

    async def get(self, path: str) -> Any:
        """GET a JSON document."""
        async with self._session.get(self.base + path, headers=self._headers) as response:
            return await _json(response, f"GET {path}")

    async def post(self, path: str, payload: dict[str, Any]) -> Any:
        """POST JSON, return the JSON answer."""
        async with self._session.post(
            self.base + path, headers=self._headers, json=payload
        ) as response:
            return await _json(response, f"POST {path}")

    async def get_text(self, path: str) -> str:
        """GET a page as text (the frontend's index)."""
        async with self._session.get(self.base + path, headers=self._headers) as response:
            if response.status >= 400:
                msg = f"GET {path}: HTTP {response.status}"
                raise HaError(msg)
            return await response.text()


class WsClient:
    """A websocket API connection: `await ws.call("type", **fields)` returns the result."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        """Wrap an authenticated socket."""
        self._ws = ws
        self._ids = itertools.count(1)

    async def call(self, command: str, **fields: Any) -> Any:
        """Send one command and wait for its result (events of other ids are skipped)."""
        msg_id = next(self._ids)
        await self._ws.send_json({"id": msg_id, "type": command, **fields})
        while True:
            message = await self._ws.receive_json(timeout=60)
            if message.get("id") != msg_id or message.get("type") != "result":
                continue
            if not message["success"]:
                msg = f"{command} failed: {message['error']}"
                raise HaError(msg)
            return message["result"]


@contextlib.asynccontextmanager
async def websocket(
    session: aiohttp.ClientSession, base: str, token: str
) -> AsyncIterator[WsClient]:
    """An authenticated websocket connection (closed on exit)."""
    ws_url = base.replace("http://", "ws://") + "/api/websocket"
    async with session.ws_connect(ws_url, max_msg_size=0) as ws:
        hello = await ws.receive_json(timeout=30)
        if hello.get("type") != "auth_required":
            msg = f"unexpected websocket greeting: {hello}"
            raise HaError(msg)
        await ws.send_json({"type": "auth", "access_token": token})
        answer = await ws.receive_json(timeout=30)
        if answer.get("type") != "auth_ok":
            msg = f"websocket auth refused: {answer}"
            raise HaError(msg)
        yield WsClient(ws)


async def confirm_http_config(ws: WsClient) -> dict[str, Any]:
    """Keep the `http:` settings, as the user's "Confirm" in the dialog the frontend shows.

    Since 2026.10 Home Assistant migrates `http:` YAML once into storage as a *pending*
    configuration that reverts (with a restart onto the default port) after five minutes
    unless confirmed. Returns the HTTP configuration after promotion.
    """
    config: dict[str, Any] = await ws.call("http/config")
    if config.get("pending") is not None:
        await ws.call("http/config/promote")
        config = await ws.call("http/config")
    return config
