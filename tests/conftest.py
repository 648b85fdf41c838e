"""Shared fixtures: the real servers live in tests/support/ and are registered here."""

import os

os.environ.setdefault("LOTSE_KNOWLEDGE__ENCODER", "none")
"""Lotse answers lexically in tests that do not ask for the encoder: building the semantic index
of the starter knowledge base takes a while on two cores, and an index that becomes ready in the
middle of a test would change its answers. tests/knowledge/ and tests/faq/ use the real encoder."""

pytest_plugins = [
    "tests.support.database",
    "tests.support.core",
    "tests.support.synapse",
]
