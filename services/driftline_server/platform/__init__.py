"""Code every Driftline service shares: configuration, database, errors, callers, server assembly."""
