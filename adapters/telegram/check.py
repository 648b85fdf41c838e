"""For `lotse doctor`: does Telegram accept the token? One getMe, no polling, no webhook change."""

from __future__ import annotations

import aiohttp

from bot.config import TelegramSettings
from bot.doctor import Finding

TIMEOUT = aiohttp.ClientTimeout(total=10)


async def check(settings: TelegramSettings) -> Finding:
    token = settings.token.get_secret_value() if settings.token else ""
    url = f"{settings.api_url.rstrip('/')}/bot{token}/getMe"
    try:
        async with aiohttp.ClientSession(timeout=TIMEOUT) as client, client.get(url) as response:
            body = await response.json(content_type=None)
    except (aiohttp.ClientError, TimeoutError, ValueError) as error:
        return Finding("telegram", False, f"cannot reach {settings.api_url}: {type(error).__name__}",
                       "check the network or telegram.api_url")
    if response.status == 401:
        return Finding("telegram", False, "the token was rejected (401 Unauthorized)",
                       "create a new token with @BotFather and set LOTSE_TELEGRAM__TOKEN")
    if not isinstance(body, dict) or not body.get("ok"):
        description = body.get("description", response.status) if isinstance(body, dict) else response.status
        return Finding("telegram", False, f"getMe failed: {description}", "try again; see Telegram's status")
    bot = body["result"]
    return Finding("telegram", True, f"token accepted for @{bot.get('username', '?')} (id {bot.get('id', '?')})")
