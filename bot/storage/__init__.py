"""Storage: the async database, its migrations, and the table base every feature's tables share."""
