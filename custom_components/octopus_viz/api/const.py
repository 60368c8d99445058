"""The client's fixed values: where the API is, and the version it announces."""

from __future__ import annotations

from typing import Final

VERSION: Final = "0.1.0"  # kept equal to manifest.json's version (a test checks)

DEFAULT_API_URL: Final = "https://api.octopus.energy"
# Points the client at another server (the project's fake API in development and tests).
ENV_API_URL: Final = "OCTOPUS_VIZ_API_URL"
