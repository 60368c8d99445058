"""Fixtures shared by the test folders: the recorder's throwaway database servers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.databases import DatabaseServers, database_servers as start_pool


@pytest.fixture(scope="session")
def database_servers() -> Iterator[DatabaseServers]:
    """MariaDB and PostgreSQL, each started when a test first asks for it, for the session."""
    with start_pool() as servers:
        yield servers
