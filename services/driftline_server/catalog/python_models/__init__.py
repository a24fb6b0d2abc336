"""Python models: models defined by their source code, checked without running it (source.py)
and trained and served in worker processes of their own (issue 8, item 4)."""
