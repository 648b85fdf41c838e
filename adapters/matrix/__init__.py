"""Lotse on Matrix: rooms and direct chats through matrix-nio, with end-to-end encryption.

The platform is `adapters.matrix.platform.MatrixPlatform`; this package imports nothing itself, so
reading its capabilities does not load matrix-nio.
"""
