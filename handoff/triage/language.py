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

try:  # py3langid's own dependency: absent only when py3langid is
    import numpy as np
except ImportError:  # pragma: no cover
    np = None  # type: ignore[assignment]

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
            _use_float32_rows(_IDENTIFIER)
        return _IDENTIFIER


class _Float32Rows:
    """py3langid's feature table (float16, 100,053 features x 142 languages) as `_sparse_score` reads it,
    `table[idx]`, with each row given as float32, converted the first time a text uses it and kept. The float16
    rows a text touched were cast to float32 for the matrix product on every classification: more than half of the
    cost of classifying a typical customer text (about 100 bytes, 80 features: 11,000 values). The values are the
    same (numpy's own float16 -> float32 cast, exact), so is every product and every decision; a float32 copy of
    the whole table would cost 57 MB, this one 568 bytes per feature ever used."""

    def __init__(self, table: Any) -> None:
        self.table = table
        self.slot = np.full(table.shape[0], -1, dtype=np.intp)
        self.rows = np.empty((4096, table.shape[1]), dtype=np.float32)
        self.used = 0
        self.lock = threading.Lock()

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.table.shape)

    def __getitem__(self, idx: Any) -> Any:
        slots = self.slot[idx]
        if (slots < 0).any():
            with self.lock:
                slots = self.slot[idx]
                new = np.unique(idx[slots < 0])
                need = self.used + len(new)
                if need > len(self.rows):
                    grown = np.empty((max(need, 2 * len(self.rows)), self.rows.shape[1]), dtype=np.float32)
                    grown[: self.used] = self.rows[: self.used]
                    self.rows = grown
                self.rows[self.used : need] = self.table[new]
                self.slot[new] = np.arange(self.used, need)
                self.used = need
                slots = self.slot[idx]
        return self.rows[slots]  # the slots are read before the rows: these rows hold them


# Texts the table of float32 rows is checked on before it is used: several scripts, and one without any feature.
_PROBES = (
    "My parcel has not arrived and the tracking page has not changed for a week.",
    "Hola, todavía no he recibido mi pedido y nadie responde a mis correos.",
    "Bonjour, l'application ne fonctionne plus depuis la mise à jour.",
    "Здравствуйте, мой заказ до сих пор не доставлен, помогите пожалуйста.",
    "注文した商品がまだ届いていません。確認していただけますか。",
    "",
)


def _use_float32_rows(identifier: Any) -> None:
    """Give `identifier` the float32 rows when its model and scoring are the ones they were written for (py3langid
    0.4: a float16 `nb_ptc` read as `nb_ptc[idx]`) and it classifies the probes exactly as before; else leave it."""
    table = getattr(identifier, "nb_ptc", None)
    if np is None or not isinstance(table, np.ndarray) or table.dtype != np.float16 or table.ndim != 2:
        return
    try:
        expected = [identifier.classify(text) for text in _PROBES]
        identifier.nb_ptc = _Float32Rows(table)
        if [identifier.classify(text) for text in _PROBES] == expected:
            return
    except Exception:  # another py3langid: its own table it is
        pass
    identifier.nb_ptc = table


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
