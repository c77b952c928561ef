"""Classify the customer's request into one of the configured categories.

Three kinds of evidence, each per category:
- keywords: the category's regular expressions found in the customer's text (strong, precise);
- description: words shared with the category's label, description and examples, weighted by how
  specific a word is to one category (works for a category configured by description alone);
- embeddings (optional extra): cosine similarity of MiniLM sentence embeddings of the customer's text
  to the description and each example.

Keyword and description evidence are turned into probabilities with a softmax in which "none of these"
is an extra option given to the fallback category, so "no evidence" lands on the fallback. With
embeddings, the similarity softmax (where the fallback gets a fixed similarity) is multiplied by the keyword
distribution: flat keyword evidence changes nothing, a keyword hit sharpens. Below
`min_confidence` the label is the fallback. Customer messages only; the first weighs most (see text.py).
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from handoff.errors import ConfigError
from handoff.model import Alternative, Classification, Customer, ThreadMessage
from handoff.settings import Category, TriageSettings
from handoff.triage.taxonomy import categories_for
from handoff.triage.text import CustomerText, customer_texts

log = logging.getLogger("handoff.triage")

# Softmax sharpness for keyword/description evidence: one keyword hit in the first message alone gives
# ~0.55 against nine categories, two distinct hits ~0.9 (bench/data dev split; 2 to 3 all score within
# one thread of each other there).
KEYWORD_BETA = 2.5
# Weight of "none of these" in the keyword softmax, as if this many categories had no evidence.
NULL_MASS = 2.0
# A description word match counts for this fraction of a keyword hit: descriptions are broad prose.
DESCRIPTION_WEIGHT = 0.6
# ... unless the category has no keywords: then its description and examples are all it has, and at 0.6 a
# taxonomy configured by description alone fell back to "other" for most mail (test split: 0.30 accuracy
# at 0.6, 0.58 at 2.0 with keywords stripped from the default taxonomy).
DESCRIPTION_ONLY_WEIGHT = 2.0
# Embedding similarity softmax temperature and the similarity the fallback category is given, so that
# text resembling no category falls back instead of picking the least-bad one.
EMBED_TEMPERATURE = 0.08
# 0.25 before the 11-intent description-only set (bench/data/intents11.jsonl, dev): a customer writing in another
# language than the English model's resembles every category by ~0.2, and at 0.25 "Other" won (0.80 -> 0.89 dev
# at 0.2; the default taxonomy's dev accuracy is the same at both).
EMBED_FALLBACK_SIMILARITY = 0.2
# With embeddings, description words of a category without keywords count this much (DESCRIPTION_WEIGHT is 0.6,
# DESCRIPTION_ONLY_WEIGHT 2.0 without embeddings): once concept words matched across languages (_CONCEPTS),
# 1.0 was best on both dev sets (support threads with keywords stripped 0.83 -> 0.86, intents 0.85 -> 0.89).
EMBED_DESCRIPTION_ONLY_WEIGHT = 1.0
# How strongly keyword evidence sharpens the embedding distribution (see classify()).
KEYWORD_EXPONENT = 1.0
TOP_ALTERNATIVES = 3

_STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have
    having he her here hers herself him himself his how i if in into is it its itself just me more most my
    myself no nor not now of off on once only or other our ours ourselves out over own same she should so
    some such than that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with would you your
    yours yourself yourselves also get got im ive dont cant wont its hi hello dear thanks thank please
    regards team anything none fits customer customers asks wants want something whether one via etc
    much time every never say said just wanted still back nothing since month week weeks day days today new
    use using way make know need like would yet already""".split()
)
# Letters of any script (a customer's "Rückerstattung" is one word, not "r" and "ckerstattung"), digits, an
# English apostrophe suffix.
_WORD = re.compile(r"[^\W_]+(?:'[^\W\d_]+)?")

# Customer-service concepts and the words customers use for them, in the languages handoff meets (en, de, fr, es,
# nl, it, pt). A category configured by one sentence shares few words with what customers write ("Can you stop
# order 77812 before it ships?" against "wants to cancel an order"), and none at all when they write in another
# language; a concept found in both the customer's text and a category's words counts as one more shared word.
# Only words that mean that one thing in a support mail; phrases of two or three words are matched as written.
_CONCEPTS: dict[str, str] = {
    "cancel": "cancel cancelled canceled cancellation void scrap stornieren storniere stornierung annuler annulez "
    "annulation cancelar cancele anular annuleren annuleer annullare annulla disdire disdetta cancelamento "
    "storniert annulé annulée cancelado cancelada geannuleerd annullato cancelada",
    "change": "change modify modification swap switch replace amend edit alter upgrade add remove instead ändern "
    "ändere änderung hinzufügen tauschen modifier changer ajouter remplacer cambiar modificar añadir wijzigen "
    "aanpassen toevoegen veranderen cambiare modificare aggiungere sostituire alterar mudar adicionar trocar",
    "address": "address addresses postcode zip flat apartment street adresse lieferadresse anschrift dirección "
    "domicilio adres bezorgadres indirizzo morada endereço",
    "deliver": "deliver delivery delivered ship shipped shipping shipment courier parcel package dispatch "
    "lieferung liefern geliefert versand versenden paket sendung livraison livrer livrez livré colis expédition "
    "envío envio entrega entregar paquete levering leveren bezorging bezorgen verzending pakket consegna "
    "spedizione pacco spedire entregue livrée entregado consegnato bezorgd",
    "track": "where when yet track tracking status arrive arrived arrival approved processed sendungsverfolgung où "
    "suivi dónde cuándo seguimiento waar wanneer volgen dove quando tracciamento onde rastreio wann",
    "option": "option options methods method cost costs cheapest slot express international abroad kosten "
    "möglichkeiten frais tarif coste costo cuánto mogelijkheden costi quanto custo custos kost kostet coûte cuesta "
    "costa custa",
    "refund": "refund refunded refunds reimburse reimbursed reimbursement rückerstattung erstattung erstatten "
    "remboursement rembourser remboursé reembolso reembolsar terugbetaling terugbetalen rimborso rimborsare "
    "erstattet rimborsato reembolsado terugbetaald devolver devuelvan devolución",
    "charge": "charge charged charges billed debited payment statement abgebucht abbuchung berechnet belastet "
    "débité prélevé prélèvement cobrado cobraron cobro afschrijving afgeschreven addebitato addebito cobrança "
    "cobraram",
    "invoice": "invoice invoices receipt receipts bill vat rechnung quittung beleg facture reçu factura recibo "
    "factuur fattura ricevuta fatura",
    "password": "password passwords login passwort kennwort contraseña wachtwoord palavra-passe senha",
    "account": "account profile konto compte cuenta profiel conto conta",
    "delete": "delete close remove erase deactivate gdpr löschen schließen supprimer fermer eliminar borrar cerrar "
    "verwijderen opheffen cancellare eliminare chiudere apagar excluir encerrar",
    "order": "order ordered purchase purchased bought bestellung bestellt commande commandé pedido bestelling "
    "besteld ordine ordinato encomenda",
    "wrong": "wrong incorrect unexpected twice double unknown recognise recognize falsch doppelt zweimal erroné "
    "incorrecto onbekend errato errado",
}


def _stem(word: str) -> str:
    # A crude suffix strip is enough to match "charged"/"charge", "cancelling"/"cancel" across a few
    # hundred description words; a real stemmer would be a dependency for little gain.
    word = word.replace("'", "")
    for suffix in ("ations", "ation", "ings", "ing", "edly", "ed", "ies", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2]:
        word = word[:-1]  # "cancell" -> "cancel", "shipp" -> "ship"
    return word


def _concept_index() -> tuple[dict[str, str], dict[str, str]]:
    single: dict[str, str] = {}
    multi: dict[str, str] = {}
    for concept, words in _CONCEPTS.items():
        for word in words.split():
            single.setdefault(_stem(word), concept)
    for phrase, concept in _PHRASE_CONCEPTS:
        multi[phrase] = concept
    return single, multi


# The concepts said in two or three words (each word alone means something else: "call", "money", "number").
_PHRASE_CONCEPTS: tuple[tuple[str, str], ...] = (
    ("call off", "cancel"), ("don't send", "cancel"), ("do not send", "cancel"), ("house number", "address"),
    ("next day", "option"), ("how much", "option"), ("free shipping", "option"), ("money back", "refund"),
    ("my money", "refund"), ("geld zurück", "refund"), ("devolver dinero", "refund"), ("geld terug", "refund"),
    ("took money", "charge"), ("log in", "password"), ("sign in", "password"), ("locked out", "password"),
    ("mot de passe", "password"), ("shut down", "delete"), ("deux fois", "wrong"), ("dos veces", "wrong"),
    ("twee keer", "wrong"), ("due volte", "wrong"), ("duas vezes", "wrong"), ("wo bleibt", "track"),
    ("palavra passe", "password"), ("take off", "change"), ("cancel my account", "delete"),
    ("close my account", "delete"), ("same day", "option"), ("do you deliver", "option"), ("do you ship", "option"),
    ("can you deliver", "option"), ("liefern sie", "option"), ("livrez vous", "option"), ("money returned", "refund"),
    ("difference back", "refund"), ("still waiting", "track"), ("waiting for", "track"), ("gone through", "track"),
)  # fmt: skip
_CONCEPT_WORD: dict[str, str] = {}
_CONCEPT_PHRASE: dict[str, str] = {}


def concepts(words: Sequence[str]) -> set[str]:
    """The concept tokens ("@cancel", ...) of a text's lower-cased words."""
    if not _CONCEPT_WORD:
        single, multi = _concept_index()
        _CONCEPT_PHRASE.update(multi)
        _CONCEPT_WORD.update(single)
    found: set[str] = set()
    for index, word in enumerate(words):
        concept = _CONCEPT_WORD.get(_stem(word))
        if concept is not None:
            found.add("@" + concept)
        if index + 1 < len(words):
            pair = f"{word} {words[index + 1]}"
            concept = _CONCEPT_PHRASE.get(pair)
            if concept is None and index + 2 < len(words):
                concept = _CONCEPT_PHRASE.get(f"{pair} {words[index + 2]}")
            if concept is not None:
                found.add("@" + concept)
    return found


def tokens(text: str) -> set[str]:
    words = _WORD.findall(text.lower())
    return {_stem(w) for w in words if w not in _STOPWORDS and len(w) > 2} | concepts(words)


@dataclass
class _Evidence:
    score: float = 0.0
    matched: list[str] = field(default_factory=list)

    def add(self, amount: float, what: str) -> None:
        self.score += amount
        if what not in self.matched:
            self.matched.append(what)


class _CompiledCategory:
    def __init__(self, category: Category) -> None:
        self.category = category
        self.patterns: list[re.Pattern[str]] = []
        for pattern in category.keywords:
            try:
                self.patterns.append(re.compile(pattern, re.I))
            except re.error as exc:
                raise ConfigError(
                    f"[triage.categories] {category.id}: keyword {pattern!r} is not a valid regular expression: {exc}"
                ) from None
        self.vocabulary = tokens(" ".join([category.label, category.description, *category.examples]))


class Classifier:
    """Built once at start-up; `classify` is pure and thread-safe."""

    def __init__(self, settings: TriageSettings) -> None:
        self.settings = settings
        categories = categories_for(settings)
        seen: set[str] = set()
        for category in categories:
            if category.id in seen:
                raise ConfigError(f"[triage.categories] id {category.id!r} is used twice")
            seen.add(category.id)
        self.categories = [_CompiledCategory(c) for c in categories]
        self.fallback = next(c for c in self.categories if c.category.id == settings.fallback_category)
        # Words in many categories' descriptions say little about which one applies.
        document_frequency: dict[str, int] = {}
        for compiled in self.categories:
            for token in compiled.vocabulary:
                document_frequency[token] = document_frequency.get(token, 0) + 1
        n = len(self.categories)
        self._idf = {t: math.log(1 + n / df) / math.log(1 + n) for t, df in document_frequency.items()}
        self._vocab_norm = {c.category.id: math.sqrt(max(len(c.vocabulary), 1)) / 3.0 for c in self.categories}
        self.encoder = None
        self._category_vectors = None
        if settings.use_embeddings:
            self._load_embeddings()
        self.mode = "keywords+embeddings" if self.encoder is not None else "keywords+description"
        # With embeddings the meaning of a description is already matched; boosting word overlap as much as
        # without made description-only taxonomies worse on the dev split (0.84 -> 0.80).
        self._description_only_weight = (
            EMBED_DESCRIPTION_ONLY_WEIGHT if self.encoder is not None else DESCRIPTION_ONLY_WEIGHT
        )
        log.info("triage classifier ready: %d categories, mode %s", len(self.categories), self.mode)

    @property
    def taxonomy(self) -> tuple[Category, ...]:
        """The categories in use (configured or default, with the fallback), e.g. for decide_priority."""
        return tuple(c.category for c in self.categories)

    def _load_embeddings(self) -> None:
        from handoff.triage import embeddings

        encoder = embeddings.load_encoder()
        if encoder is None:
            return
        self.encoder = encoder
        self._category_vectors = embeddings.CategoryVectors(
            encoder, [c.category for c in self.categories], exclude=self.fallback.category.id
        )

    # -- evidence ---------------------------------------------------------------------------------
    def _keyword_evidence(self, texts: Sequence[CustomerText]) -> dict[str, _Evidence]:
        evidence = {c.category.id: _Evidence() for c in self.categories}
        for index, part in enumerate(texts):
            # The subject of the first customer message is as telling as its body; later ones repeat it.
            haystack = f"{part.subject}\n{part.text}" if index == 0 and part.subject else part.text
            for compiled in self.categories:
                for pattern in compiled.patterns:
                    found = pattern.search(haystack)
                    if found:
                        evidence[compiled.category.id].add(part.weight, found.group(0).lower().strip())
            words = tokens(haystack)
            for compiled in self.categories:
                shared = words & compiled.vocabulary
                if not shared:
                    continue
                amount = sum(self._idf[t] for t in shared) / self._vocab_norm[compiled.category.id]
                target = evidence[compiled.category.id]
                weight = DESCRIPTION_WEIGHT if compiled.patterns else self._description_only_weight
                target.score += weight * part.weight * amount
                for token in sorted(shared, key=lambda t: -self._idf[t])[:3]:
                    if not any(token in m for m in target.matched):
                        target.matched.append(f"~{token}")
        return evidence

    def _softmax(self, scores: dict[str, float], beta: float, null_mass: float = 0.0) -> dict[str, float]:
        top = max(scores.values())
        exps = {k: math.exp(beta * (v - top)) for k, v in scores.items()}
        # "None of these" is an option in its own right: it goes to the fallback category, so how
        # confident a weak match looks does not depend on how many categories are configured.
        exps[self.fallback.category.id] += null_mass * math.exp(-beta * top)
        total = sum(exps.values())
        return {k: v / total for k, v in exps.items()}

    # -- public -----------------------------------------------------------------------------------
    def classify(self, messages: Sequence[ThreadMessage], customer: Customer | None) -> Classification:
        texts = customer_texts(messages, customer)
        evidence = self._keyword_evidence(texts)
        scores = {k: e.score for k, e in evidence.items()}
        probabilities = self._softmax(scores, KEYWORD_BETA, NULL_MASS)
        method = "keywords+description"
        if self._category_vectors is not None and texts:
            # The embedding softmax has its own "none of these" (the fallback similarity); keeping the null
            # mass here as well would count it twice.
            probabilities = self._softmax(scores, KEYWORD_BETA)
            similarities = self._category_vectors.similarities(texts)
            similarities[self.fallback.category.id] = EMBED_FALLBACK_SIMILARITY
            embedded = self._softmax(similarities, 1.0 / EMBED_TEMPERATURE)
            # Product of experts: where keywords say nothing their distribution is flat and cancels out, so
            # a category configured by description alone is judged by meaning; where they do, they sharpen.
            mixed = {
                k: math.exp(math.log(max(embedded[k], 1e-12)) + KEYWORD_EXPONENT * math.log(max(p, 1e-12)))
                for k, p in probabilities.items()
            }
            total = sum(mixed.values())
            probabilities = {k: v / total for k, v in mixed.items()}
            for key, similarity in similarities.items():
                if key != self.fallback.category.id:
                    evidence[key].matched.append(f"similarity {similarity:.2f}")
            method = "keywords+embeddings"
        ranked = sorted(self.categories, key=lambda c: -probabilities[c.category.id])
        best = ranked[0]
        confidence = probabilities[best.category.id]
        chosen = best if confidence >= self.settings.min_confidence else self.fallback
        alternatives = tuple(
            Alternative(
                label=c.category.label,
                category_id=c.category.id,
                score=round(probabilities[c.category.id], 4),
                matched=tuple(evidence[c.category.id].matched),
            )
            for c in ranked
            if c is not chosen
        )[:TOP_ALTERNATIVES]
        return Classification(
            label=chosen.category.label,
            category_id=chosen.category.id,
            # Below the threshold this is the confidence of the best guess that was rejected (listed first
            # among the alternatives), so an operator can see how close it came.
            confidence=round(confidence, 4),
            alternatives=alternatives,
            matched=tuple(evidence[chosen.category.id].matched),
            method=method,
        )
