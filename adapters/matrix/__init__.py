"""Lotse on Matrix: rooms and direct chats through matrix-nio, with end-to-end encryption."""

from .platform import MatrixPlatform

__all__ = ["MatrixPlatform"]
