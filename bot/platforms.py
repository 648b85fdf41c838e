"""The chat platforms an installation knows and what each can do, as the adapters declare it.

The composition root lists the platforms with the `Capabilities` each adapter declares; features
ask here instead of knowing platforms by name, so a new platform touches `adapters/` and the
composition root only.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.messages import PLAIN_CAPABILITIES, Capabilities, local_part, platform_of


class Platforms:
    """Platform names and their capabilities; an id of an unknown platform counts as plain text."""

    def __init__(self, capabilities: Mapping[str, Capabilities]) -> None:
        self._capabilities = dict(capabilities)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._capabilities)

    def of(self, qualified_id: str) -> Capabilities:
        """What the platform of a person or chat id (`telegram:123`) can do."""
        return self._capabilities.get(platform_of(qualified_id), PLAIN_CAPABILITIES)

    def knows(self, qualified_id: str) -> bool:
        """Whether an id names a known platform and something on it (`matrix:@anna:example.org`)."""
        return platform_of(qualified_id) in self._capabilities and bool(local_part(qualified_id))

    def link(self, person: str) -> str | None:
        """A Markdown link that reaches a person on their platform, or None where there is none."""
        capabilities = self.of(person)
        if not capabilities.person_link:
            return None
        local = local_part(person)
        return f"[{capabilities.person_label.format(local=local)}]({capabilities.person_link.format(local=local)})"
