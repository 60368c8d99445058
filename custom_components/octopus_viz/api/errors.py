"""The client's errors, each with the translation key Home Assistant's messages use."""

from __future__ import annotations


class OctopusError(Exception):
    """Base of every client error; `translation_key` names the message in strings.json."""

    translation_key: str = "unknown_error"


class OctopusAuthError(OctopusError):
    """The API key was refused (HTTP 401 only)."""

    translation_key = "auth_failed"


class OctopusNotFoundError(OctopusError):
    """The account, meter, product or tariff does not exist (HTTP 404)."""

    translation_key = "not_found"


class OctopusConnectionError(OctopusError):
    """The API could not be reached or kept failing transiently after the retries."""

    translation_key = "cannot_connect"


class OctopusResponseError(OctopusError):
    """The API answered something this client cannot use (not JSON, no results, ...)."""

    translation_key = "invalid_response"
