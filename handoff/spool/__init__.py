"""The durable spool: `open_spool(url)` picks the backend by the URL's scheme.

- `sqlite:///path/handoff.db`: one instance (handoff.spool.sqlite);
- `postgresql://user@host/db` (or `postgres://`): several instances sharing one database
  (handoff.spool.postgres). `?schema=name` keeps handoff's tables in their own schema.

Both implement the contract in handoff.spool.base and apply their versioned schema migrations at open.
"""

from __future__ import annotations

from handoff.errors import ConfigError
from handoff.spool.base import Spool

__all__ = ["Spool", "open_spool"]


def open_spool(url: str) -> Spool:
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if url.startswith("sqlite:///"):
        from handoff.spool.sqlite import SqliteSpool

        return SqliteSpool(url.removeprefix("sqlite:///"))
    if scheme in ("postgresql", "postgres"):
        from handoff.spool.postgres import PostgresSpool

        return PostgresSpool(url)
    raise ConfigError(
        f"[spool] url: unsupported backend {scheme or url[:20]!r}; "
        "use sqlite:///path/handoff.db or postgresql://user@host/db"
    )
