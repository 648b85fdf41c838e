"""The Beratungskompass."""
