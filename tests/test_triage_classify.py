"""Classification as a support lead sees it: the right label in the title, explained, never from agent text."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from handoff.errors import ConfigError
from handoff.model import Customer, ThreadMessage
from handoff.settings import Category, TriageSettings
from handoff.triage import embeddings
from handoff.triage.classify import (
    Classifier,
    _CompiledCategory,
    _required_literals,
    description_parts,
    description_phrases,
    first_person,
)
from handoff.triage.taxonomy import _ENGLISH_CATEGORIES, DEFAULT_CATEGORIES

CUSTOMER = Customer(email="ann@example.com", name="Ann", found_by="from")


def customer_says(body: str, subject: str | None = None) -> ThreadMessage:
    return ThreadMessage(from_email="ann@example.com", body=body, subject=subject)


def agent_says(body: str) -> ThreadMessage:
    return ThreadMessage(from_email="rep@handoff.localhost", body=body, internal=True)


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier(TriageSettings(use_embeddings=False))


@pytest.mark.parametrize(
    ("body", "category"),
    [
        ("I was charged twice for my subscription this month, please check the invoice.", "billing"),
        ("I returned the shoes two weeks ago and still no refund. I want my money back.", "refund"),
        ("Please cancel my subscription at the end of this billing period.", "cancellation"),
        ("The app crashes with an error every time I open the settings page.", "technical_issue"),
        ("I can't log in, the password reset link never arrives.", "account_access"),
        ("My parcel hasn't arrived and the tracking number shows no updates.", "order_delivery"),
        ("Is the blue version in stock, and is it compatible with Windows 11?", "product_question"),
        ("A suggestion: it would be great if reports could be exported as PDF.", "feedback"),
    ],
)
def test_default_taxonomy_labels_common_requests(classifier: Classifier, body: str, category: str) -> None:
    result = classifier.classify([customer_says(body)], CUSTOMER)
    assert result.category_id == category
    label = next(c.label for c in DEFAULT_CATEGORIES if c.id == category)
    assert result.label == label
    assert result.confidence >= 0.35
    assert result.matched, "a result must say what matched so it can be explained"


def test_nothing_recognisable_falls_back_to_other(classifier: Classifier) -> None:
    result = classifier.classify([customer_says("See the attached.")], CUSTOMER)
    assert result.category_id == "other"
    assert result.label == "Other"


def test_alternatives_are_ranked_and_explain_themselves(classifier: Classifier) -> None:
    body = "I cancelled my order last week but you still charged my credit card. Where is my refund?"
    result = classifier.classify([customer_says(body)], CUSTOMER)
    ids = {result.category_id, *(a.category_id for a in result.alternatives)}
    assert {"refund", "cancellation", "billing"} <= ids
    scores = [a.score for a in result.alternatives]
    assert scores == sorted(scores, reverse=True)
    assert all(a.matched for a in result.alternatives[:2])


def test_agent_text_is_ignored(classifier: Classifier) -> None:
    thread = [
        customer_says("My package never arrived, the tracking page has not changed since Monday."),
        agent_says("Sorry! I have issued a refund, cancelled the invoice and reset your password."),
    ]
    assert classifier.classify(thread, CUSTOMER).category_id == "order_delivery"


def test_first_customer_message_weighs_most(classifier: Classifier) -> None:
    thread = [
        customer_says("I can't log in, the password reset email never comes."),
        agent_says("Could you try again?"),
        customer_says("Still nothing. Also, is there a discount on the yearly price?"),
    ]
    assert classifier.classify(thread, CUSTOMER).category_id == "account_access"


def test_subject_of_the_first_message_counts(classifier: Classifier) -> None:
    result = classifier.classify([customer_says("See below, order 4411.", subject="Fwd: Refund request")], CUSTOMER)
    assert result.category_id == "refund"


def test_a_category_configured_by_description_alone_is_found() -> None:
    settings = TriageSettings(
        use_embeddings=False,
        categories=[
            *DEFAULT_CATEGORIES,
            Category(
                id="warranty",
                label="Warranty claim",
                description="Repair or replacement of a faulty device under warranty or guarantee.",
                examples=["The blender broke after two months, is it covered by the guarantee?"],
            ),
        ],
    )
    result = Classifier(settings).classify(
        [customer_says("My kettle is faulty after six months. Is a replacement covered under warranty?")],
        CUSTOMER,
    )
    assert result.category_id == "warranty"
    assert result.label == "Warranty claim"


def test_below_min_confidence_the_fallback_is_used_but_the_guess_is_kept() -> None:
    settings = TriageSettings(use_embeddings=False, min_confidence=0.99)
    result = Classifier(settings).classify([customer_says("The app shows an error.")], CUSTOMER)
    assert result.category_id == "other"
    assert result.alternatives[0].category_id == "technical_issue"


def test_replaced_taxonomy_without_fallback_still_has_one() -> None:
    settings = TriageSettings(
        use_embeddings=False,
        categories=[Category(id="sales", label="Sales", keywords=[r"\bquote\b"])],
    )
    clf = Classifier(settings)
    assert clf.classify([customer_says("Can I get a quote?")], CUSTOMER).label == "Sales"
    assert clf.classify([customer_says("Hello there")], CUSTOMER).category_id == "other"


def test_bad_keyword_regex_is_a_config_error_naming_the_category() -> None:
    settings = TriageSettings(use_embeddings=False, categories=[Category(id="x", label="X", keywords=["(oops"])])
    with pytest.raises(ConfigError, match="x"):
        Classifier(settings)


def test_duplicate_category_ids_are_refused() -> None:
    settings = TriageSettings(
        use_embeddings=False,
        categories=[Category(id="a", label="A"), Category(id="a", label="B")],
    )
    with pytest.raises(ConfigError, match="twice"):
        Classifier(settings)


def test_only_agent_messages_give_the_fallback(classifier: Classifier) -> None:
    result = classifier.classify([agent_says("Customer called about a refund for the invoice.")], None)
    assert result.category_id == "other"


# --- A taxonomy configured by one sentence per category (issue 14) ---------------------------------------------------

DESCRIBED = [
    Category(id="cancel_order", label="Cancel order", description="The customer wants to cancel an order they placed."),
    Category(
        id="change_address",
        label="Change delivery address",
        description="The customer wants to change the delivery address of an order.",
    ),
    Category(
        id="track_refund",
        label="Track refund",
        description="The customer asks about the status of a refund that was already promised.",
    ),
    Category(
        id="charge_complaint",
        label="Complain about a charge",
        description="The customer complains about a charge on their card that is wrong or made twice.",
    ),
    Category(id="get_invoice", label="Get invoice", description="The customer asks for an invoice or a receipt."),
    Category(
        id="recover_password",
        label="Recover password",
        description="The customer cannot sign in and wants to reset their password.",
    ),
]


@pytest.fixture(scope="module")
def described() -> Classifier:
    return Classifier(TriageSettings(use_embeddings=False, categories=DESCRIBED))


@pytest.mark.parametrize(
    ("body", "category"),
    [
        # Words the descriptions do not use: the concept is the same.
        ("You took money from my card twice for the same purchase.", "charge_complaint"),
        ("My parcel should go to 22 Park Lane instead, I typed the wrong postcode.", "change_address"),
        ("Where is my refund? It was approved ten days ago.", "track_refund"),
        ("Please call off my purchase from yesterday, don't send it.", "cancel_order"),
        # Other languages than the descriptions'.
        ("Bitte stornieren Sie meine Bestellung 5531.", "cancel_order"),
        ("J'ai été débité deux fois pour la même commande.", "charge_complaint"),
        ("¿Me pueden enviar la factura de mi pedido?", "get_invoice"),
        ("Ik ben mijn wachtwoord vergeten.", "recover_password"),
        ("Quando riceverò il rimborso che mi avete promesso?", "track_refund"),
    ],
)
def test_a_description_only_taxonomy_understands_other_words_and_languages(
    described: Classifier, body: str, category: str
) -> None:
    assert described.classify([customer_says(body)], CUSTOMER).category_id == category


def test_a_description_only_taxonomy_still_falls_back_on_unrelated_mail(described: Classifier) -> None:
    result = described.classify([customer_says("Are you hiring software engineers this year?")], CUSTOMER)
    assert result.category_id == "other"


# A taxonomy configured by one sentence per category, with neighbours that share an object or an action
# (bench/data/intents11_taxonomy.json, the shape issue 14 describes).
_INTENTS = [
    ("cancel_order", "Cancel order", "The customer wants to cancel an order they have placed."),
    ("change_order", "Change order", "The customer wants to change the items, quantity, size or colour of an order."),
    ("change_address", "Change delivery address", "The customer wants to change the delivery address of an order."),
    ("track_order", "Track order", "The customer asks where their order or parcel is and when it will arrive."),
    ("request_refund", "Request refund", "The customer asks to get their money back for an order or a service."),
    ("track_refund", "Track refund", "The customer asks about the status of a refund that was already requested."),
    ("charge_complaint", "Complain about a charge", "The customer complains about a charge that is wrong."),
    ("delete_account", "Delete account", "The customer wants to close or delete their account."),
]


@pytest.fixture(scope="module")
def neighbours() -> Classifier:
    categories = [Category(id=i, label=label, description=text) for i, label, text in _INTENTS]
    return Classifier(TriageSettings(use_embeddings=False, categories=categories, fallback_category="other"))


@pytest.mark.parametrize(
    ("body", "category"),
    [
        # Same object, the action decides: a status question or what has not happened yet is tracking.
        ("Where is the refund you promised me?", "track_refund"),
        ("I still haven't received the refund for the broken kettle.", "track_refund"),
        ("The kettle broke after a week, I would like my money back.", "request_refund"),
        # Same action, the object decides; "before it ships" does not make it about a delivery address.
        ("Can you change the blue mug in my order to a red one before it ships?", "change_order"),
        ("Please change the address for my parcel to 3 Mill Lane.", "change_address"),
        # The clause that asks is the request, the rest is context.
        ("The parcel has not left your warehouse yet, so please cancel the order.", "cancel_order"),
        # A past act is context: the complaint is about the charge.
        ("You billed my card again for a plan I cancelled in May.", "charge_complaint"),
        # An Italian verb with its pronoun attached and an elided article.
        ("Ho sbagliato l'indirizzo di consegna del mio ordine, potete cambiarlo?", "change_address"),
        # "cancellare" cancels an order and deletes an account: the object decides.
        ("Vorrei cancellare il mio account.", "delete_account"),
        ("Vorrei cancellare il mio ordine.", "cancel_order"),
    ],
)
def test_description_only_neighbours_are_told_apart_by_action_and_object(
    neighbours: Classifier, body: str, category: str
) -> None:
    result = neighbours.classify([customer_says(body)], CUSTOMER)
    assert result.category_id == category, (result.category_id, result.alternatives)


def test_agreement_is_explained(neighbours: Classifier) -> None:
    result = neighbours.classify([customer_says("Where is the refund you promised me?")], CUSTOMER)
    assert "track+refund" in result.matched


# --- Words that mean a concept only as an action on an object (issue 14, the support-thread regression) --------------

STRIPPED = [c.model_copy(update={"keywords": []}) for c in DEFAULT_CATEGORIES]


def test_update_is_not_an_account_change_in_a_taxonomy_read_by_words() -> None:
    # "update" stands for "change" only when the taxonomy is read by action and object; read by words alone it made
    # this billing request look like changing the account email (account access).
    clf = Classifier(TriageSettings(use_embeddings=False, categories=STRIPPED))
    body = "Please update the billing address on our company account to 4 Dock Road, Hull."
    assert clf.classify([customer_says(body)], CUSTOMER).category_id == "billing"


def test_stop_still_cancels_an_order_in_a_taxonomy_read_by_action_and_object(neighbours: Classifier) -> None:
    result = neighbours.classify([customer_says("Can you stop order 77812 before it ships?")], CUSTOMER)
    assert result.category_id == "cancel_order"


# The 11-intent taxonomy of bench/data (one sentence per category, nothing else), as a user would configure it.
_INTENTS11 = Path(__file__).resolve().parent.parent / "bench" / "data" / "intents11_taxonomy.json"


@pytest.fixture(scope="module")
def intents11() -> Classifier:
    categories = [Category(**c) for c in json.loads(_INTENTS11.read_text(encoding="utf-8"))]
    return Classifier(TriageSettings(use_embeddings=False, categories=categories, fallback_category="other"))


@pytest.mark.parametrize(
    ("body", "category"),
    [
        # "bill" is an invoice; only "billed"/"bill my card" is a charge (the word as listed before its stem).
        ("Could you email me the bill for order 5512 again?", "get_invoice"),
        ("Why did you bill my card 30 euros more than the order total?", "charge_complaint"),
        # A phrase with something between its words.
        ("Please take the black socks off my order, I only want the shirts.", "change_order"),
        # Where it should go, without an address word, is a change of address.
        ("Please send the parcel to my sister's house instead, she can sign for it.", "change_address"),
        ("Could you deliver order 3301 to my office rather than my home?", "change_address"),
        # A status question names no request: the implicit one does not outweigh it, even with an order number.
        ("Has my refund for order 4410 been sent?", "track_refund"),
        # "money" is the refund's, "reach" is where it is.
        ("When will the money for my returned boots reach my account?", "track_refund"),
        # "do you deliver" in Dutch; a tracking page is about a parcel.
        ("Leveren jullie ook in het weekend?", "delivery_options"),
        ("The tracking page still shows the same status as last week.", "track_order"),
        # An action said not to be wanted is not the request: the one after it is.
        ("I don't want to cancel it, just change the size on order 5120 to a large.", "change_order"),
        ("Please don't close my account, I only forgot my password.", "recover_password"),
        ("Niet annuleren, stuur de bestelling alleen naar mijn nieuwe adres.", "change_address"),
        # What has not arrived is still asked about, and "I don't want the lamp" still cancels it.
        ("Could you confirm the refund went out? Nothing has arrived on my card.", "track_refund"),
        ("I don't want the lamp anymore, can you cancel it?", "cancel_order"),
    ],
)
def test_description_only_intents_neighbours(intents11: Classifier, body: str, category: str) -> None:
    result = intents11.classify([customer_says(body)], CUSTOMER)
    assert result.category_id == category, (result.category_id, result.alternatives)


# --- The default taxonomy in the languages customers write (issue 14) ------------------------------------------------


@pytest.mark.parametrize(
    ("body", "category"),
    [
        # German: compounds, and a word that only looks like a refund ("Rückmeldung" is an answer).
        ("Ich warte seit drei Wochen auf die Rückerstattung für die zurückgeschickte Jacke.", "refund"),
        ("Bitte kündigen Sie meinen Handyvertrag zum nächstmöglichen Termin.", "cancellation"),
        ("Seit dem Update bekomme ich beim Speichern jedes Mal eine Fehlermeldung.", "technical_issue"),
        ("Über eine kurze Rückmeldung zu meiner Bewerbung als Lagerist würde ich mich freuen.", "other"),
        # French
        ("On m'a prélevé deux fois l'abonnement de mars, merci de corriger la facture.", "billing"),
        ("Je n'arrive plus à me connecter, mon mot de passe est refusé.", "account_access"),
        ("Le colis est arrivé abîmé et il manque un article.", "order_delivery"),
        # Spanish, also without the accent customers often leave out
        ("Olvidé mi contrasena y no me llega el código de verificación.", "account_access"),
        ("¿Tenéis esta mesa en stock en color blanco? ¿Cuáles son sus medidas?", "product_question"),
        ("Quiero darme de baja del servicio a final de mes.", "cancellation"),
        # Italian
        ("L'applicazione si chiude da sola e mostra un errore ogni volta che carico una foto.", "technical_issue"),
        ("Vorrei disdire il contratto della palestra dal mese prossimo.", "cancellation"),
        ("Il pacco risulta consegnato ma il corriere non è mai passato.", "order_delivery"),
        # Portuguese
        ("Devolvi as sapatilhas há duas semanas e ainda não recebi o reembolso.", "refund"),
        ("Podem enviar-me a fatura com o meu NIF, por favor?", "billing"),
        ("Quero dar os parabéns à vossa equipa, foram excelentes e muito simpáticos.", "feedback"),
        # Dutch, with the separable verb ("zeg ... op")
        ("Graag zeg ik mijn contract per 1 april op.", "cancellation"),
        ("Ik ben mijn wachtwoord vergeten en kan niet meer inloggen.", "account_access"),
        ("Wanneer krijg ik mijn geld terug voor de schoenen die ik heb teruggestuurd?", "refund"),
        # Polish and Swedish
        ("Nie pamiętam hasła i nie mogę się zalogować do konta.", "account_access"),
        ("Paczka z moim zamówieniem nadal nie dotarła, a kurier nie odbiera.", "order_delivery"),
        ("Jag vill säga upp mitt medlemskap på gymmet från nästa månad.", "cancellation"),
        ("Jag har fått en faktura med ett för högt belopp, kan ni kontrollera den?", "billing"),
        # Typed without accents or umlauts.
        ("je voudrais resilier mon contrat, merci de me confirmer la resiliation", "cancellation"),
        ("esqueci a senha e nao consigo entrar na conta", "account_access"),
        ("Wann bekomme ich mein Geld zurueck? Die Rucksendung ist seit zwei Wochen bei Ihnen.", "refund"),
        # Written in capitals: the patterns are read on lower-cased text.
        ("RÜCKERSTATTUNG FÜR BESTELLUNG 4410 BITTE SOFORT!", "refund"),
    ],
)
def test_default_taxonomy_reads_the_languages_customers_write(classifier: Classifier, body: str, category: str) -> None:
    result = classifier.classify([customer_says(body)], CUSTOMER)
    assert result.category_id == category, (result.category_id, result.alternatives)
    assert result.confidence >= 0.35
    assert result.matched


_BENCH_DATA = Path(__file__).resolve().parent.parent / "bench" / "data"


def _one_sentence_classifier(taxonomy_file: str, use_embeddings: bool) -> Classifier:
    """A classifier with one of bench/data's one-sentence taxonomies (a label and a sentence per category)."""
    taxonomy = json.loads((_BENCH_DATA / taxonomy_file).read_text(encoding="utf-8"))
    return Classifier(TriageSettings(use_embeddings=use_embeddings, categories=taxonomy))


def _english_customer_texts() -> list[str]:
    texts = []
    for path in sorted(_BENCH_DATA.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row["language"] != "en":
                continue
            if "messages" in row:
                texts += [f"{m.get('subject') or ''}\n{m['body']}" for m in row["messages"] if m["from"] == "customer"]
            else:
                texts.append(row["text"])
    return texts


def test_translated_keywords_never_match_english_mail() -> None:
    # Every pattern is tried on every mail: a word another language shares with English ("stage", "crash", "wifi"), or
    # one that becomes English when typed without its accent ("débited"), would change how English mail is classified.
    texts = _english_customer_texts()
    assert len(texts) > 700
    found = [
        (category.id, match.group(0))
        for category, english in zip(DEFAULT_CATEGORIES, _ENGLISH_CATEGORIES, strict=True)
        for pattern in category.keywords[len(english.keywords) :]
        for text in texts
        if (match := re.search(pattern, text, re.I))
    ]
    # Bitext's English utterances (bench/data/bitext_*) use two words that are the other languages' words for the same
    # thing: a "reclamation" is a complaint (réclamation, reclamación), a "restitution" a refund (restitución), and
    # CLINC150's (clinc3_sample.jsonl) "rescind" is cancelling (rescindir). They land where the English reading would
    # put them; so does "ReclameAqui", the Brazilian complaints site, in airline tweets.
    assert [(c, m) for c, m in found if not re.fullmatch(r"reclam\w*|restitu\w*|rescind\w*", m, re.I)] == []


def test_keywords_read_on_lower_case_match_as_case_insensitive_patterns_do() -> None:
    texts = [*_english_customer_texts(), "RÜCKERSTATTUNG", "KÜNDIGUNG ZUM 31.", "ÉCHEC DU PAIEMENT", "Refund NOW"]
    for category in DEFAULT_CATEGORIES:
        compiled = _CompiledCategory(category, with_roles=False)
        expected = [re.compile(p, re.I) for p in category.keywords]
        for text in texts:
            hits = [m.group(0).lower().strip() for p in expected if (m := p.search(text))]
            assert compiled.hits(text, text.lower()) == hits, (category.id, text)


def test_a_case_sensitive_keyword_of_a_configured_taxonomy_stays_case_sensitive() -> None:
    # Only patterns without capitals or flags are read on lower-cased text; "(?-i:VIP)" still needs the capitals.
    vip = Category(id="vip", label="Key accounts", keywords=[r"(?-i:\bVIP\b)", r"\bSKU-\d+\b"])
    clf = Classifier(TriageSettings(use_embeddings=False, categories=[vip]))
    assert clf.classify([customer_says("A VIP customer writes")], CUSTOMER).category_id == "vip"
    assert clf.classify([customer_says("sku-4410 is the one")], CUSTOMER).category_id == "vip"
    assert clf.classify([customer_says("a vip writes")], CUSTOMER).category_id == "other"


@pytest.mark.parametrize(
    ("body", "category"),
    [
        ("Nie pamiętam hasła do konta, link nie przychodzi.", "account_access"),
        ("Jag har fått en faktura med fel belopp, kvittot stämmer inte.", "billing"),
        ("Var är mitt paket? Leveransen skulle komma i fredags.", "order_delivery"),
    ],
)
def test_a_taxonomy_without_keywords_reads_polish_and_swedish_concepts(body: str, category: str) -> None:
    # A taxonomy configured by description alone matches other languages through the concept words only.
    clf = Classifier(TriageSettings(use_embeddings=False, categories=STRIPPED))
    result = clf.classify([customer_says(body)], CUSTOMER)
    assert result.category_id == category, (result.category_id, result.alternatives)


# A taxonomy as a user configures it from a list of intents: a label and one sentence each, no keywords, no examples
# (written for these tests, in the manner of bench/data/bitext_taxonomy11.json).
_ONE_SENTENCE = [
    Category(id="account", label="Account", description="The customer wants to open, change or close an account."),
    Category(id="fees", label="Cancellation fee", description="The customer asks what it costs to cancel, the fee."),
    Category(id="people", label="Contact", description="The customer wants to reach customer service or a human."),
    Category(id="delivery", label="Delivery", description="The customer asks about delivery options and times."),
    Category(id="feedback", label="Feedback", description="The customer wants to complain or give feedback."),
    Category(id="invoice", label="Invoice", description="The customer wants to check or get an invoice."),
    Category(id="order", label="Order", description="The customer wants to place, cancel, change or track an order."),
    Category(id="refund", label="Refund", description="The customer asks for a refund or the status of a refund."),
    Category(id="address", label="Shipping address", description="The customer wants to change a shipping address."),
]


@pytest.fixture(scope="module")
def one_sentence() -> Classifier:
    return Classifier(TriageSettings(use_embeddings=False, categories=_ONE_SENTENCE))


@pytest.mark.parametrize(
    ("body", "category"),
    [
        # A letter added, left out, swapped or hit next to the right key.
        ("wanna know about my refnud", "refund"),
        ("cancel ordedr 370795561790", "order"),
        ("how do I see my inovice from last month", "invoice"),
        ("question about the deilvery", "delivery"),
        # Two words run together.
        ("update deliveryaddress", "address"),
    ],
)
def test_misspelt_and_run_on_words_are_read_as_the_words_they_stand_for(
    one_sentence: Classifier, body: str, category: str
) -> None:
    assert one_sentence.classify([customer_says(body)], CUSTOMER).category_id == category


@pytest.mark.parametrize(
    ("body", "category"),
    [
        # The ordinary words of support mail for what the one sentence names in other words.
        ("I want to lodge a consumer claim against your company", "feedback"),
        ("could you help me file a claim against your business?", "feedback"),
        ("I'm not getting anywhere with the bot, I want to talk to someone", "people"),
        ("can I speak with an operator?", "people"),
        ("I paid $160 for this article and want a rebate", "refund"),
        ("what is the early termination penalty?", "fees"),
    ],
)
def test_a_one_sentence_category_is_found_by_the_words_customers_use(
    one_sentence: Classifier, body: str, category: str
) -> None:
    assert one_sentence.classify([customer_says(body)], CUSTOMER).category_id == category


def test_a_request_verb_in_a_description_does_not_decide(one_sentence: Classifier) -> None:
    # "check" is in "check or get an invoice", but checking a fee is about the fee.
    assert one_sentence.classify([customer_says("need to check the termination fee")], CUSTOMER).category_id == "fees"


def test_a_word_a_description_names_counts_once(one_sentence: Classifier) -> None:
    # "status" is in the refund's sentence, and is a tracking word; the order's sentence says "track": a purchase's
    # status is the order's, however the sentence put it.
    result = one_sentence.classify([customer_says("purchase 113542617735902 status")], CUSTOMER)
    assert result.category_id == "order", result.alternatives


@pytest.mark.parametrize(
    ("body", "not_category"),
    [
        # Real words a slip away from a known one stay themselves: "later" is no "alter" (a change), "partnership" no
        # "partner ship", "chargeback" no "charge back".
        ("Thanks, I will look at the delivery options later", "order"),
        ("We would like to discuss a partnership", "delivery"),
        ("I won't be shopping with you again", "delivery"),
    ],
)
def test_real_words_are_not_misread_as_slips(one_sentence: Classifier, body: str, not_category: str) -> None:
    assert one_sentence.classify([customer_says(body)], CUSTOMER).category_id != not_category


def test_the_keyword_taxonomy_reads_words_as_written(classifier: Classifier) -> None:
    # Spelling is read only where categories have no keywords: the default taxonomy's reading does not change.
    one = Classifier(TriageSettings(use_embeddings=False, categories=_ONE_SENTENCE))
    assert one._speller is not None and one._speller.word("cancdling") != "cancdling"
    assert classifier._speller is None


def test_a_mail_reads_alike_in_every_process() -> None:
    # Sets iterate in an order that changes with the process's hash seed: the words a classification names (what
    # `handoff show` prints) and its scores must not, or a replay of the same mail would read differently.
    import subprocess
    import sys

    script = (
        "import glob, sys\n"
        "from handoff.pipeline import Pipeline\n"
        "from handoff.settings import Settings\n"
        "p = Pipeline(Settings(triage={'use_embeddings': False}))\n"
        "for f in sorted(glob.glob('tests/fixtures/mail/*.eml'))[:40]:\n"
        "    a = p.analyse(open(f, 'rb').read(), 'x@example.com', ['cases@handoff.localhost'])\n"
        "    print(repr((a.handoff.classification, a.handoff.sentiment, a.handoff.priority)))\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).parent.parent,
        ).stdout
        for seed in ("1", "2", "3")
    ]
    assert runs[0].count("\n") == 40
    assert runs[0] == runs[1] == runs[2]


# Neighbours a one-sentence taxonomy of intents has (written for these tests, in the manner of
# bench/data/bitext_taxonomy27.json): they differ by a verb, or share an object.
_ONE_SENTENCE_INTENTS = [
    Category(id="create_account", label="Create account", description="The customer wants to create a new account."),
    Category(
        id="switch_account", label="Switch account", description="The customer wants to switch to another account type."
    ),
    Category(id="check_invoice", label="Check invoice", description="The customer wants to see or check an invoice."),
    Category(
        id="get_invoice", label="Get invoice", description="The customer wants to get or download a copy of an invoice."
    ),
    Category(
        id="delivery",
        label="Delivery",
        description="The customer asks which delivery options there are or how long delivery takes.",
    ),
    Category(
        id="refund", label="Refund", description="The customer wants a refund or asks about the status of a refund."
    ),
    Category(id="order", label="Order", description="The customer wants to place, change or track an order."),
    Category(id="registration", label="Registration", description="The customer gets an error when signing up."),
    Category(id="payment_issue", label="Payment issue", description="The customer has a problem with a payment."),
    # A category about no object: the taxonomy is read by words, not by action and object.
    Category(id="contact", label="Contact", description="The customer wants to speak to a human agent."),
]


@pytest.fixture(scope="module")
def one_sentence_intents() -> Classifier:
    return Classifier(TriageSettings(use_embeddings=False, categories=_ONE_SENTENCE_INTENTS))


@pytest.mark.parametrize(
    ("body", "category"),
    [
        # A word and its forms are one word, the silent e included: "changing" is "change", a switch of plan.
        ("changing to the pro plan", "switch_account"),
        ("creating an account for my son", "create_account"),
        # "get" is the one word between getting an invoice and checking one.
        ("getting invoice #12588", "get_invoice"),
        ("help me get my invoices from last month", "get_invoice"),
        ("I want to check invoice #12588", "check_invoice"),
        # "how long" is one thing said: it does not outweigh the refund it is asked about.
        ("can you tell me how long refunds usually take?", "refund"),
        ("how long does delivery take to Spain?", "delivery"),
        # What went wrong is one thing, however it is called: an error with a payment is a payment problem.
        ("error with online payments", "payment_issue"),
        ("I keep getting errors with my payment", "payment_issue"),
        ("I keep having trouble signing up", "registration"),
        # "When will it arrive" asks how long it takes as much as where it is.
        ("help me to see when will my product arrive", "delivery"),
        ("when is my parcel going to arrive?", "delivery"),
        # "where do I ..." asks how to do something, not where something is.
        ("where do I open an account for my fiancee?", "create_account"),
        ("where is my order 370795561790?", "order"),
    ],
)
def test_one_sentence_neighbours_are_told_apart(one_sentence_intents: Classifier, body: str, category: str) -> None:
    result = one_sentence_intents.classify([customer_says(body)], CUSTOMER)
    assert result.category_id == category, result.alternatives


@pytest.mark.parametrize(
    ("body", "tracks"),
    [
        ("where do I open an account?", False),
        ("where can I switch to the gold plan", False),
        ("where to report sign-up errors?", False),
        ("where is my order?", True),
        ("where's the parcel", True),
    ],
)
def test_where_to_do_something_is_no_tracking_question(
    one_sentence_intents: Classifier, body: str, tracks: bool
) -> None:
    # "Where do I ..." asks how (or in which place) to act; "where is ..." asks where something is. What each category
    # was matched by is what an operator sees.
    result = one_sentence_intents.classify([customer_says(body)], CUSTOMER)
    named = [m for matched in (result.matched, *(a.matched for a in result.alternatives)) for m in matched]
    assert ("~@track" in named) is tracks, named


_REFUND_NEIGHBOURS = [
    Category(
        id="get_refund", label="Get refund", description="The customer wants to get a refund or their money back."
    ),
    Category(
        id="refund_policy",
        label="Check refund policy",
        description="The customer asks about the refund policy and when money is given back.",
    ),
    Category(id="contact", label="Contact", description="The customer wants to speak to a human agent."),
]


@pytest.mark.parametrize(
    ("body", "category"),
    [
        # The rules a refund is given under are its policy, however they are called.
        ("in which cases can I ask for a refund?", "refund_policy"),
        ("under what circumstances can I request refunds", "refund_policy"),
        ("I want to see your money back guarantee", "refund_policy"),
        ("I want a refund for order 1234", "get_refund"),
    ],
)
def test_a_policy_is_asked_about_in_other_words(body: str, category: str) -> None:
    classifier = Classifier(TriageSettings(use_embeddings=False, categories=_REFUND_NEIGHBOURS))
    assert classifier.classify([customer_says(body)], CUSTOMER).category_id == category


def _all_customer_texts() -> list[str]:
    texts = []
    for path in sorted(_BENCH_DATA.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if "messages" in row:
                texts += [f"{m.get('subject') or ''}\n{m['body']}" for m in row["messages"] if m["from"] == "customer"]
            elif "text" in row:
                texts.append(row["text"])
    return texts


_ODD_KEYWORDS = Category(
    id="odd",
    label="Odd patterns",
    keywords=[
        r"\b(?<!un)happy\b",  # a lookbehind
        r"\bb[łl][ąa]d\w*",  # letters to choose from
        r"\bw(?:ä|ae|a)re (?:toll|gut)\b",  # alternatives inside a word
        r"(?:\d{3,}|#\d+)",  # nothing literal at all
        r"\border(?:ed)? (?:no\.?|number) ?\d+",
        r"(?-i:\bVIP\b)",  # read with its case
        r"\bRefund\b",  # a capital: read with re.I
        r"[a-z]+@[a-z]+\.com",
        r"\b(?:x|y)z\b",  # two letters
        r"\b(?:x|y)\d\b",  # one letter: no shortcut
    ],
)


def test_keyword_shortcuts_find_what_searching_every_pattern_finds() -> None:
    # The shortcuts (required strings, the piece index) only skip patterns that cannot match: on every customer text of
    # bench/data, in every language, each category finds exactly what searching each of its patterns finds.
    texts = [*_all_customer_texts(), "VIP customer, REFUND please", "unhappy, but happy", "błędy #12", "a@b.com"]
    assert len(texts) > 4000
    for categories in (DEFAULT_CATEGORIES, [*DEFAULT_CATEGORIES, _ODD_KEYWORDS]):
        classifier = Classifier(TriageSettings(use_embeddings=False, categories=list(categories)))
        index = classifier._keyword_index
        assert index is not None
        for text in texts:
            candidates = index.candidates(text.lower())
            for compiled, candidate in zip(classifier.categories, candidates, strict=True):
                expected = [
                    match.group(0).lower().strip()
                    for pattern, lower in zip(compiled.patterns, compiled.lower, strict=True)
                    if (match := pattern.search(text.lower() if lower else text))
                ]
                assert compiled.hits(text, text.lower(), candidate) == expected, (compiled.category.id, text)


def test_the_strings_a_keyword_needs_are_those_every_match_contains() -> None:
    assert _required_literals(r"\bpric(?:e|es|ing)\b") == ("price", "prices", "pricing")
    assert _required_literals(r"\b(?:coupon|promo(?:tion(?:al)?)? code|voucher)s?\b") == ("coupon", "promo", "voucher")
    assert _required_literals(r"\bb[łl][ąa]d\b") == ("błąd", "bład", "bląd", "blad")
    assert _required_literals(r"\w*(?<!re)storing\w*") == ("storing",)
    assert _required_literals(r"\d+|#\w+") is None  # an alternative with nothing literal: always searched
    assert _required_literals(r"\b(?:x|y)\d\b") is None  # one letter says nothing
    assert _required_literals(r"\b(?:x|y)z\b") == ("xz", "yz")  # two: the index files them as they are


def test_an_english_request_to_restore_a_password_is_no_technical_fault() -> None:
    # The Dutch "storing" (a fault) is inside "restoring"; Bitext's customers restore their passwords with it.
    classifier = Classifier(TriageSettings(use_embeddings=False))
    result = classifier.classify([customer_says("I need help restoring the pwd of my account")], CUSTOMER)
    assert not any("storing" in m for a in result.alternatives for m in a.matched)
    assert not any("storing" in m for m in result.matched)


@pytest.fixture(scope="module")
def bitext11() -> Classifier:
    # Bitext's 11 categories, each configured by a label and one sentence (bench/data/bitext_taxonomy11.json).
    taxonomy = json.loads((_BENCH_DATA / "bitext_taxonomy11.json").read_text(encoding="utf-8"))
    return Classifier(TriageSettings(use_embeddings=False, categories=taxonomy, fallback_category="other"))


@pytest.mark.parametrize(
    ("body", "category"),
    [
        # An account's termination or removal is the account going, not a fee for cancelling.
        ("I want information about gold account terminations", "account"),
        ("question about the termination of my business account", "account"),
        # A key one gets back is a login's.
        ("how do I reset my key", "account"),
        # Slips at the start of a long word: the second letter left out, the first two swapped.
        ("where to report a rgistration error", "account"),
        ("I'd like a ocmment form for the product", "feedback"),
        # Who a customer wants to talk to.
        ("can I chat with an assistant please", "contact"),
    ],
)
def test_one_sentence_categories_read_what_bitext_customers_write(
    bitext11: Classifier, body: str, category: str
) -> None:
    assert bitext11.classify([customer_says(body)], CUSTOMER).category_id == category


def test_an_eta_asked_for_is_where_the_order_is() -> None:
    taxonomy = json.loads((_BENCH_DATA / "bitext_taxonomy27.json").read_text(encoding="utf-8"))
    classifier = Classifier(TriageSettings(use_embeddings=False, categories=taxonomy, fallback_category="other"))
    result = classifier.classify([customer_says("what is the ETA of my order 1234")], CUSTOMER)
    assert result.category_id == "track_order"


# Another domain's one-sentence taxonomy (a library's, written for these tests): "book" is in most sentences, but
# one is about the book itself and names it again and again.
_LIBRARY = [
    Category(
        id="loan",
        label="Book loan",
        description=(
            "The customer wants to borrow or renew a book, asks when a reserved book arrives, or returns a book."
        ),
    ),
    Category(id="damage", label="Damaged item", description="The customer reports a damaged book, bike or DVD."),
    Category(id="fines", label="Fines", description="The customer asks about a fine for a late book or DVD."),
    Category(id="theft", label="Theft", description="The customer's bag or bike was stolen at the library."),
    Category(id="repair", label="Bike repair", description="The customer's rental bike is broken or needs a repair."),
    Category(
        id="card", label="Library card", description="The customer wants a library card or to verify their identity."
    ),
    Category(id="events", label="Events", description="The customer asks about readings, talks and other events."),
]


@pytest.fixture(scope="module")
def library() -> Classifier:
    return Classifier(TriageSettings(use_embeddings=False, categories=_LIBRARY))


@pytest.mark.parametrize(
    ("body", "category"),
    [
        # Named in every other sentence of one category: that is the category about it.
        ("any news about my book?", "loan"),
        ("I need my book now", "loan"),
        # Irregular past forms are the verb the description names.
        ("someone stole my bike", "theft"),
        ("my bike broke", "repair"),
        # The y of "verify" turned i before an ending.
        ("my verification failed", "card"),
    ],
)
def test_a_one_sentence_taxonomy_of_another_domain_reads_its_own_words(
    library: Classifier, body: str, category: str
) -> None:
    result = library.classify([customer_says(body)], CUSTOMER)
    assert result.category_id == category, (result.category_id, result.alternatives)


def test_a_one_sentence_description_is_compared_part_by_part() -> None:
    category = Category(
        id="security",
        label="Blocked account or lost card",
        description="The customer's account is blocked, they want to change their PIN, or report a lost or stolen card",
    )
    # At the commas only, "lost or stolen" stays one thing; the label says what each part is about.
    assert description_parts(category) == [
        "Blocked account or lost card: account is blocked",
        "Blocked account or lost card: they want to change their PIN",
        "Blocked account or lost card: report a lost or stolen card",
    ]
    # One part, or a category with examples or keywords of its own: compared as configured.
    assert description_parts(Category(id="fines", label="Fines", description="The customer asks about a fine.")) == []
    assert description_parts(category.model_copy(update={"examples": ["my card is gone"]})) == []
    assert description_parts(category.model_copy(update={"keywords": [r"\bpin\b"]})) == []


def test_a_one_sentence_description_is_also_read_in_the_customers_words() -> None:
    # The description speaks of the customer, the customer of themselves: "wants to change their PIN" is asked as "I
    # want to change my PIN", "asks when their card will arrive" as "when will my card arrive".
    assert first_person("wants to change their PIN") == "I want to change my PIN"
    assert first_person("asks when their card will arrive") == "when my card will arrive"
    assert first_person("asks about a fine or wants to pay it") == "a fine or want to pay it"
    assert first_person("has lost their card and they need a new one") == "I have lost my card and I need a new one"
    category = Category(
        id="security",
        label="Blocked account or lost card",
        description="The customer's account is blocked, they want to change their PIN, or report a lost or stolen card",
    )
    assert description_phrases(category) == [
        *description_parts(category),
        "Blocked account or lost card: account is blocked",
        "Blocked account or lost card: I want to change my PIN",
        "Blocked account or lost card: report a lost or stolen card",
    ]
    # A one-part sentence gets its customer's reading alone; keywords or examples say what a category is about already.
    fines = Category(id="fines", label="Fines", description="The customer asks about a fine.")
    assert description_phrases(fines) == ["Fines: a fine"]
    assert description_phrases(category.model_copy(update={"examples": ["my card is gone"]})) == []


_TRAVEL_AND_LIBRARY = [
    Category(
        id="trip",
        label="Trips",
        description="The customer wants to book a flight or a hotel, asks about luggage, or needs a visa.",
    ),
    *_LIBRARY,
]


@pytest.mark.skipif(not embeddings.available(), reason="embeddings extra not installed")
def test_with_embeddings_a_request_matching_one_part_of_a_sentence_is_found() -> None:
    classifier = Classifier(TriageSettings(use_embeddings=True, categories=_TRAVEL_AND_LIBRARY))
    # Luggage is one of four things the sentence names; against the whole sentence the bag stolen at the library
    # resembled it more.
    result = classifier.classify([customer_says("my suitcase never showed up")], CUSTOMER)
    assert result.category_id == "trip", (result.category_id, result.alternatives)


@pytest.mark.skipif(not embeddings.available(), reason="embeddings extra not installed")
def test_with_embeddings_a_one_sentence_match_is_told_with_confidence() -> None:
    # The 11 one-sentence categories written for Banking77 (bench/data/banking77_taxonomy11.json, our own words), at a
    # stricter min_confidence than the default: a pending purchase is the payment category's, not "Other".
    taxonomy = json.loads((Path(__file__).parent.parent / "bench/data/banking77_taxonomy11.json").read_text())
    classifier = Classifier(TriageSettings(use_embeddings=True, categories=taxonomy, min_confidence=0.42))
    result = classifier.classify([customer_says("the purchase is still pending")], CUSTOMER)
    assert result.category_id == "payment_dispute", (result.confidence, result.alternatives)


@pytest.mark.skipif(not embeddings.available(), reason="embeddings extra not installed")
@pytest.mark.parametrize(
    ("body", "category"), [("what is the square root of 144", "words_numbers"), ("nah, not happening", "answers")]
)
def test_with_embeddings_a_short_request_of_a_one_sentence_taxonomy_is_told_with_confidence(
    body: str, category: str
) -> None:
    # The 13 one-sentence categories written for CLINC150's assistant requests (bench/data/clinc3_taxonomy13.json, our
    # own words), at a stricter min_confidence than the default: a few words that match one part of one sentence
    # ("a calculation done", "answers yes, no or maybe") are that category's, not "Other" (0.39 at the temperature
    # before, 0.59 and 0.55 now).
    taxonomy = json.loads((Path(__file__).parent.parent / "bench/data/clinc3_taxonomy13.json").read_text())
    classifier = Classifier(TriageSettings(use_embeddings=True, categories=taxonomy, min_confidence=0.5))
    result = classifier.classify([customer_says(body)], CUSTOMER)
    assert result.category_id == category, (result.confidence, result.alternatives)


@pytest.mark.skipif(not embeddings.available(), reason="embeddings extra not installed")
@pytest.mark.parametrize(
    ("taxonomy_file", "body", "category"),
    [
        ("bitext_taxonomy11.json", "I want to file a claim, please help", "feedback"),
        ("bitext_taxonomy11.json", "how do I file a claim?", "feedback"),
        ("bitext_taxonomy11.json", "where do I lodge a claim?", "feedback"),
        ("bitext_taxonomy27.json", "where can I buy a few of your products?", "place_order"),
    ],
)
def test_with_embeddings_a_concept_the_mail_shares_with_a_one_sentence_category_counts_more_than_a_plain_word(
    taxonomy_file: str, body: str, category: str
) -> None:
    # Bitext's 11 categories and 27 intents as written for bench/data (a label and one sentence each), at a stricter
    # min_confidence than the default: "claim" is the complaint concept of "wants to make a complaint or leave a
    # review" (0.48 / 0.54 / 0.58 when it counted as much as a plain word, so "Other"; 0.63 / 0.69 / 0.71 now), and
    # "buy" the ordering concept of "wants to place a new order or buy something", against "products" of "a complaint
    # about a product" (the complaint won at 0.69 before).
    taxonomy = json.loads((Path(__file__).parent.parent / "bench/data" / taxonomy_file).read_text())
    classifier = Classifier(TriageSettings(use_embeddings=True, categories=taxonomy, min_confidence=0.6))
    result = classifier.classify([customer_says(body)], CUSTOMER)
    assert result.category_id == category, (result.confidence, result.alternatives)


@pytest.mark.parametrize("use_embeddings", [False, *([True] if embeddings.available() else [])])
@pytest.mark.parametrize(
    ("body", "category"),
    [
        ("Where can I enter my delivery address?", "set_up_shipping_address"),
        ("I have trouble entering a new delivery address", "set_up_shipping_address"),
        ("errors when entering my delivery address", "set_up_shipping_address"),
        # The neighbour keeps its own: nothing here is set up.
        ("Please change the delivery address, I moved last week", "change_shipping_address"),
    ],
)
def test_setting_up_an_address_is_told_from_changing_it_in_a_one_sentence_taxonomy(
    use_embeddings: bool, body: str, category: str
) -> None:
    # Bitext's 27 intents as written for bench/data (a label and one sentence each): "set up or add a new shipping
    # address" and "change their shipping or delivery address" share the address and the delivery with every one of
    # these mails; entering an address, a secondary one, is what only the first says (the "add" concept of
    # _ONE_SENTENCE_CONCEPTS and "set up" of _ONE_SENTENCE_PHRASES). Before, the second's "delivery" won the tie.
    classifier = _one_sentence_classifier("bitext_taxonomy27.json", use_embeddings)
    result = classifier.classify([customer_says(body)], CUSTOMER)
    assert result.category_id == category, (result.confidence, result.alternatives)


@pytest.mark.parametrize(
    ("body", "category"),
    [
        ("Is there a fee when I top up with a foreign card?", "fees"),
        ("Do you charge anything for topping up?", "fees"),
        ("My card payment has been pending for two days", "payment_dispute"),
    ],
)
def test_a_concept_a_one_sentence_category_names_again_and_again_counts_as_its_words_would(
    body: str, category: str
) -> None:
    # The 11 one-sentence categories written for Banking77 (bench/data/banking77_taxonomy11.json), keywords mode:
    # "Fee or extra charge ... charged a fee or an extra charge for a payment, transfer, top-up ..." names the fee
    # concept three times and "Unrecognised payment ... a payment ... a pending or reverted payment" the charge concept
    # as often, like "top up" names its words in "Top-up". A repeated word counted more (Classifier._repeats) but the
    # concept standing for it (_counted_once) did not, so "a fee when I top up" went to the top-up.
    classifier = _one_sentence_classifier("banking77_taxonomy11.json", False)
    result = classifier.classify([customer_says(body)], CUSTOMER)
    assert result.category_id == category, (result.confidence, result.alternatives)


@pytest.mark.parametrize("use_embeddings", [False, *([True] if embeddings.available() else [])])
@pytest.mark.parametrize(
    ("body", "category"),
    [
        ("From now on please call me Sam", "names"),
        ("I'd like to start calling you Robin", "names"),
        ("i want to be called Sam from now on", "names"),
        # The neighbour keeps its own: someone is called here, nobody named.
        ("call my sister and tell her I'm late", "calls"),
    ],
)
def test_being_called_a_name_is_naming_not_a_call_in_a_one_sentence_taxonomy(
    use_embeddings: bool, body: str, category: str
) -> None:
    # The 13 one-sentence categories written for CLINC150's assistant requests (bench/data/clinc3_taxonomy13.json):
    # "call me Sam" and "calling you Robin" are the name concept ("wants their own name or the assistant's name
    # changed"), not "wants to call someone", which the word "call" alone sent them to on main.
    classifier = _one_sentence_classifier("clinc3_taxonomy13.json", use_embeddings)
    result = classifier.classify([customer_says(body)], CUSTOMER)
    assert result.category_id == category, (result.confidence, result.alternatives)


@pytest.mark.parametrize("use_embeddings", [False, *([True] if embeddings.available() else [])])
@pytest.mark.parametrize(
    ("body", "category"),
    [("yep, that is correct", "answers"), ("nope, that's false", "answers"), ("agreed, go ahead", "answers")],
)
def test_a_plain_yes_or_no_is_an_answer_in_a_one_sentence_taxonomy(
    use_embeddings: bool, body: str, category: str
) -> None:
    # bench/data/clinc3_taxonomy13.json's "answers yes, no or maybe": a yes or a no said in other words ("yep",
    # "correct", "false", "agreed") is the answer concept; on main these shared no word with it and went to Other.
    classifier = _one_sentence_classifier("clinc3_taxonomy13.json", use_embeddings)
    result = classifier.classify([customer_says(body)], CUSTOMER)
    assert result.category_id == category, (result.confidence, result.alternatives)


@pytest.mark.parametrize("use_embeddings", [False, *([True] if embeddings.available() else [])])
def test_asking_what_a_word_means_is_a_word_defined_in_a_one_sentence_taxonomy(use_embeddings: bool) -> None:
    # bench/data/clinc3_taxonomy13.json's "wants a word defined or spelled, a calculation done, or a measurement
    # converted": "the meaning of" a word is its definition (the define concept); on main it shared no word and went
    # to Other. Without embeddings "multiply" is the calculation concept too (Other on main).
    classifier = _one_sentence_classifier("clinc3_taxonomy13.json", use_embeddings)
    for body in ("what is the meaning of serendipity", "can you multiply 12 by 9"):
        result = classifier.classify([customer_says(body)], CUSTOMER)
        assert result.category_id == "words_numbers", (body, result.confidence, result.alternatives)
    assert classifier.classify([customer_says("set an alarm for 7")], CUSTOMER).category_id == "time"


@pytest.mark.parametrize("use_embeddings", [False, *([True] if embeddings.available() else [])])
def test_being_reminded_is_a_reminder_in_a_one_sentence_taxonomy(use_embeddings: bool) -> None:
    # bench/data/clinc3_taxonomy13.json's "wants to set a reminder": "remind me to ..." and "what I wanted to remember"
    # are the reminder concept (Other without embeddings on main, music with them for the second).
    classifier = _one_sentence_classifier("clinc3_taxonomy13.json", use_embeddings)
    for body in ("remind me to water the plants", "what was it I wanted to remember today"):
        result = classifier.classify([customer_says(body)], CUSTOMER)
        assert result.category_id == "reminders", (body, result.confidence, result.alternatives)


@pytest.mark.parametrize("use_embeddings", [False, *([True] if embeddings.available() else [])])
def test_what_is_left_to_do_is_the_to_do_list_in_a_one_sentence_taxonomy(use_embeddings: bool) -> None:
    # bench/data/clinc3_taxonomy13.json's "what is on their shopping list or to-do list": "what do I still need to do"
    # asks for the to-do list ("to do" of _ONE_SENTENCE_PHRASES); Other on main. A reminder stays a reminder.
    classifier = _one_sentence_classifier("clinc3_taxonomy13.json", use_embeddings)
    result = classifier.classify([customer_says("what do I still need to do today")], CUSTOMER)
    assert result.category_id == "lists", (result.confidence, result.alternatives)
    assert classifier.classify([customer_says("remind me to water the plants")], CUSTOMER).category_id == "reminders"
