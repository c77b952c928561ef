"""Emulators of the services handoff talks to, for tests, benchmarks and a no-config first run."""

from handoff.sandbox.dataverse import DataverseSandbox

__all__ = ["DataverseSandbox"]
