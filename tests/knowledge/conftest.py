"""The real bundled encoder and the test knowledge base's vectors, for every knowledge test."""

from tests.support.knowledge import encoder, vectors

__all__ = ["encoder", "vectors"]
