"""For `lotse doctor`: does the homeserver accept Lotse's access token? One whoami, no sync.

The token is the configured one or the one Lotse stored at its last login. With only a password
and no stored token nothing is logged in here (that would create a device); the homeserver's
reachability is checked instead.
"""

from __future__ import annotations

import aiohttp

from bot.config import MatrixSettings
from bot.doctor import Finding
from bot.messages import PlatformState

from .session import KEY_TOKEN, KEY_USER

TIMEOUT = aiohttp.ClientTimeout(total=10)


async def check(settings: MatrixSettings, state: PlatformState) -> Finding:
    homeserver = settings.homeserver.rstrip("/")
    token = settings.access_token.get_secret_value() if settings.access_token else None
    if token is None and await state.get(KEY_USER) == settings.user_id:
        token = await state.get(KEY_TOKEN)
    try:
        async with aiohttp.ClientSession(timeout=TIMEOUT) as client:
            if token is None:
                async with client.get(f"{homeserver}/_matrix/client/versions") as response:
                    if response.status != 200:
                        return Finding("matrix", False, f"{homeserver} answers {response.status}",
                                       "check matrix.homeserver")
                return Finding("matrix", True, f"{homeserver} reachable; Lotse logs in with the password at start")
            async with client.get(f"{homeserver}/_matrix/client/v3/account/whoami",
                                  headers={"Authorization": f"Bearer {token}"}) as response:
                body = await response.json(content_type=None)
    except (aiohttp.ClientError, TimeoutError, ValueError) as error:
        return Finding("matrix", False, f"cannot reach {homeserver}: {type(error).__name__}",
                       "check matrix.homeserver and the network")
    if response.status == 401:
        return Finding("matrix", False, f"the access token for {settings.user_id} was rejected ({body.get('errcode')})",
                       "create a new token, or configure matrix.password so Lotse logs in again")
    if response.status != 200 or not isinstance(body, dict):
        return Finding("matrix", False, f"whoami failed with {response.status}", "see the homeserver's log")
    if body.get("user_id") != settings.user_id:
        return Finding("matrix", False, f"the token belongs to {body.get('user_id')}, not {settings.user_id}",
                       "set matrix.user_id to the token's user, or use that user's token")
    return Finding("matrix", True, f"token accepted for {settings.user_id} (device {body.get('device_id', '?')})")
