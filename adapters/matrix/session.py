"""Logging Lotse in to its homeserver, once.

A password login creates a device; its access token and device id go to the platform state, so a
restart reuses the same device (and with it the same end-to-end keys) instead of piling up devices
on the account. A token from the configuration is used as it is. Either way the token is checked
with `whoami` before anything else happens, so a revoked token stops the adapter with a clear
message at start-up instead of surfacing later as a retry loop.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from nio import AsyncClient, AsyncClientConfig, LoginResponse, WhoamiResponse
from nio.crypto import ENCRYPTION_ENABLED

from bot.config import MatrixSettings
from bot.messages import PlatformState, PlatformStopped

from .retry import RequestFailed, TokenRejected, call_with_retries

log = logging.getLogger(__name__)

KEY_USER = "user_id"
KEY_TOKEN = "access_token"
KEY_DEVICE = "device_id"

REQUEST_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class Identity:
    """Who Lotse is on this homeserver."""

    user_id: str
    device_id: str

    @property
    def server_name(self) -> str:
        return self.user_id.partition(":")[2]


def new_client(settings: MatrixSettings, *, encryption: bool = True) -> AsyncClient:
    """A client whose retries are all left to `retry.py` (nio's own are switched off)."""
    use_encryption = encryption and ENCRYPTION_ENABLED
    config = AsyncClientConfig(
        encryption_enabled=use_encryption,
        store_sync_tokens=False,
        max_limit_exceeded=0,
        max_timeouts=0,
        request_timeout=REQUEST_TIMEOUT_S,
    )
    return AsyncClient(
        settings.homeserver.rstrip("/"),
        settings.user_id,
        store_path=str(settings.store_dir),
        config=config,
    )


async def log_in(client: AsyncClient, settings: MatrixSettings, state: PlatformState) -> Identity:
    """Restore the stored login, or use the configured token, or log in with the password.

    Raises `PlatformStopped` when no credentials work; a stored token that the homeserver has
    revoked is replaced by a fresh password login when a password is configured.
    """
    await asyncio.to_thread(settings.store_dir.mkdir, parents=True, exist_ok=True)
    stored_user = await state.get(KEY_USER)
    stored_token = await state.get(KEY_TOKEN)
    stored_device = await state.get(KEY_DEVICE)
    password = settings.password.get_secret_value() if settings.password else None
    configured_token = settings.access_token.get_secret_value() if settings.access_token else None

    if stored_token and stored_device and stored_user == settings.user_id and not configured_token:
        identity = await _restore(client, settings.user_id, stored_token, stored_device)
        if identity is not None:
            return identity
        if password is None:
            raise PlatformStopped(
                f"Matrix: the homeserver rejected Lotse's stored access token for {settings.user_id} "
                "(logged out or revoked), and no password is configured to log in again."
            )
        log.warning("Matrix: the stored access token was revoked; logging in with the password again")

    if configured_token:
        identity = await _restore(client, settings.user_id, configured_token, None)
        if identity is None:
            raise PlatformStopped(
                f"Matrix: the homeserver {settings.homeserver} rejected the configured access token "
                f"for {settings.user_id} (M_UNKNOWN_TOKEN: unknown, logged out or revoked). "
                "Create a new token or configure a password."
            )
        return identity

    if password is None:
        raise PlatformStopped("Matrix: configure matrix.password or matrix.access_token.")
    try:
        response: LoginResponse = await call_with_retries(
            lambda: client.login(password, device_name=settings.device_name), what="Matrix login"
        )
    except (RequestFailed, TokenRejected) as error:
        raise PlatformStopped(f"Matrix: cannot log in as {settings.user_id}: {error}") from error
    assert isinstance(response, LoginResponse)
    await state.put(KEY_USER, response.user_id)
    await state.put(KEY_TOKEN, response.access_token)
    await state.put(KEY_DEVICE, response.device_id)
    log.info("Matrix: logged in as %s with new device %s", response.user_id, response.device_id)
    return Identity(response.user_id, response.device_id)


async def _restore(client: AsyncClient, user_id: str, token: str, device_id: str | None) -> Identity | None:
    """Use `token`; None when the homeserver rejects it. Loads the crypto store for the device."""
    client.access_token = token
    try:
        who: WhoamiResponse = await call_with_retries(client.whoami, what="Matrix whoami")
    except TokenRejected:
        client.access_token = ""
        return None
    except RequestFailed as error:
        raise PlatformStopped(f"Matrix: cannot check the access token: {error}") from error
    assert isinstance(who, WhoamiResponse)
    device = device_id or who.device_id
    if not device:
        raise PlatformStopped("Matrix: the access token belongs to no device; log in with a password.")
    client.restore_login(who.user_id or user_id, device, token)
    return Identity(client.user_id, device)
