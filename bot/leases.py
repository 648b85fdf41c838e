"""One instance per chat account: a lease in the database, renewed while the instance serves it.

Telegram lets one poller fetch a bot's updates (a second gets 409 Conflict forever, and both
overwrite the stored offset), and two Matrix syncs would answer every message twice. So before an
instance starts an adapter it takes the account's lease; another instance waits until the lease
expires (its holder stopped renewing it) and then takes over.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import String, delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, UtcDateTime
from bot.storage.database import Database


class ChatAccountLeaseRow(Base):
    __tablename__ = "chat_account_leases"

    platform: Mapped[str] = mapped_column(String(32), primary_key=True)
    account: Mapped[str] = mapped_column(String(255), primary_key=True)
    """The account's id on its platform: a Telegram bot's id, a Matrix user id."""
    holder: Mapped[str] = mapped_column(String(64))
    """The instance serving the account (host, process and a random part)."""
    acquired_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)


@dataclass(frozen=True)
class Lease:
    """Who holds an account's lease until when; `held` says whether that is the asking instance."""

    held: bool
    holder: str
    expires_at: datetime


class ChatAccountLeases:
    """Takes, renews and gives back leases on chat accounts; safe with instances racing for one."""

    def __init__(self, database: Database, clock: Callable[[], datetime], duration: timedelta) -> None:
        self._database = database
        self._clock = clock
        self.duration = duration

    async def acquire(self, platform: str, account: str, holder: str) -> Lease:
        """Take the lease, or renew it if `holder` has it; otherwise say who has it until when."""
        now = self._clock()
        try:
            async with self._database.transaction() as session:
                row = await session.get(ChatAccountLeaseRow, (platform, account), with_for_update=True)
                if row is None:
                    row = ChatAccountLeaseRow(platform=platform, account=account, holder=holder, acquired_at=now,
                                              expires_at=now + self.duration)
                    session.add(row)
                elif row.holder == holder or row.expires_at <= now:
                    if row.holder != holder:
                        row.holder, row.acquired_at = holder, now
                    row.expires_at = now + self.duration
                else:
                    return Lease(False, row.holder, row.expires_at)
                return Lease(True, holder, row.expires_at)
        except IntegrityError:
            # Another instance created the lease at the same moment; it holds it now.
            return await self._read(platform, account, holder)

    async def release(self, platform: str, account: str, holder: str) -> None:
        """Give the lease back at a clean stop, so another instance can take over at once."""
        async with self._database.transaction() as session:
            await session.execute(
                delete(ChatAccountLeaseRow).where(
                    ChatAccountLeaseRow.platform == platform,
                    ChatAccountLeaseRow.account == account,
                    ChatAccountLeaseRow.holder == holder,
                )
            )

    async def _read(self, platform: str, account: str, holder: str) -> Lease:
        async with self._database.reading() as session:
            row = await session.get(ChatAccountLeaseRow, (platform, account))
        if row is None:
            return Lease(False, "", self._clock())
        return Lease(row.holder == holder, row.holder, row.expires_at)
