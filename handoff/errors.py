"""Errors are classified once, at the protocol edge; the worker only asks which kind it got."""

from __future__ import annotations


class HandoffError(Exception):
    """Base of handoff's own errors."""

    # The Content-ID of the $batch operation that failed, when the error came from one: Dataverse stops
    # a change set at its first failure and answers with that operation's error alone.
    content_id: str | None = None


class TransientError(HandoffError):
    """Try again later: connection errors, timeouts, 408, 429, 5xx."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PermanentError(HandoffError):
    """Will fail the same way every time: a person must look (other 4xx, bad data)."""

    def __init__(self, message: str, code: str | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


class AlreadyExists(PermanentError):
    """Dataverse 412 0x80040237: a record with this key exists (our deterministic id was used before)."""


class NotFound(PermanentError):
    """Dataverse 404."""


class SpoolError(HandoffError):
    """The spool could not durably record something; SMTP answers 451 so the sender retries."""


class ConfigError(HandoffError):
    """A wrong or missing setting; the message names the key and what is expected."""
