"""The Octopus Energy REST API: client, errors, models, page parsing (pure: no Home Assistant).

The lowest layer: it imports nothing from `tariffs`, `history` or the Home Assistant glue.
"""
