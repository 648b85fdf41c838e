"""The Digitalisierungscheck: `/check`, `/measures`, reviews, sharing, export (see README)."""
