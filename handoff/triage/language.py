"""Which language the customer wrote in, so sentiment can admit when it is guessing.

VADER's lexicon and the MiniLM model are English; on Spanish or German text they return something that
looks like a score but is mostly noise. py3langid (a maintained fork of langid.py, ~5 MB, model shipped
inside the wheel, numpy only) names the language; short or ambiguous text is not judged at all.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any

log = logging.getLogger("handoff.triage")

# Below this many words langid guesses wildly ("ok thanks" is not reliably English).
MIN_WORDS = 4
# A non-English verdict must be this sure before we call the text non-English.
MIN_PROBABILITY = 0.9

_WORD = re.compile(r"[^\W\d_]{2,}")
_IDENTIFIER: Any = None
_LOADED = False
_LOCK = threading.Lock()


def _identifier() -> Any:
    global _IDENTIFIER, _LOADED
    with _LOCK:
        if not _LOADED:
            _LOADED = True
            try:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier
            except ImportError:
                log.warning("py3langid is not installed: language detection is off, all text treated as English")
                return None
            _IDENTIFIER = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        return _IDENTIFIER


def warm_up() -> None:
    """Load the model now (about a second) rather than on the first mail."""
    _identifier()


def _enough_words(text: str) -> bool:
    """Whether the text has MIN_WORDS words, reading only as far as the MIN_WORDS-th (not a list of all of them)."""
    found = 0
    for _ in _WORD.finditer(text):
        found += 1
        if found >= MIN_WORDS:
            return True
    return False


def detect(text: str) -> tuple[str | None, float]:
    """ISO 639-1 code and probability, or (None, 0.0) when the text is too short to tell."""
    if not _enough_words(text):
        return None, 0.0
    identifier = _identifier()
    if identifier is None:
        return None, 0.0
    language, probability = identifier.classify(text)
    return str(language), float(probability)


def is_english(language: str | None, probability: float) -> bool:
    return language is None or language == "en" or probability < MIN_PROBABILITY
