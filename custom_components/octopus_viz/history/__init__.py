"""A meter's half-hour history: cache, columns, series, snapshots and the queries over them.

Pure (no Home Assistant). The top of the three layers: it may import `tariffs` and `api`.
"""
