"""Optional MiniLM sentence embeddings (the `embeddings` extra). Filled in by the next slice."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger("handoff.triage")


def load_encoder() -> Any | None:
    log.info("triage embeddings not available yet; using keywords and descriptions")
    return None


class CategoryVectors:  # pragma: no cover - placeholder until the encoder lands
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError
