"""Shared fixtures: the real servers live in tests/support/ and are registered here."""

pytest_plugins = [
    "tests.support.database",
    "tests.support.core",
    "tests.support.synapse",
    "tests.support.browser",
]
