"""How the customer feels, from their own new text only.

VADER alone calls "I have been waiting 3 weeks for my refund. Please help. Thanks, John" positive (+0.78):
email politeness is full of lexicon words ("please" +1.3, "help" +1.7, "thanks" +1.9). So before VADER:
greetings, sign-offs and disclaimers are cut (text.py), politeness is neutralised (phrases removed, and
support-desk vocabulary taken out of the lexicon), and support phrases VADER does not know ("still no",
"no reply", "never received", "third time", "waiting for weeks", "cancel") are turned into lexicon
tokens with a valence, so VADER's own rules (caps, "!!!", "but", boosters) still apply around them.
"""

from __future__ import annotations

import heapq
import json
import logging
import math
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

from vaderSentiment.vaderSentiment import (
    BOOSTER_DICT,
    N_SCALAR,
    SPECIAL_CASES,
    SentimentIntensityAnalyzer,
    SentiText,
    negated,
)

from handoff.model import Customer, Sentiment, ThreadMessage
from handoff.settings import TriageSettings
from handoff.triage import language
from handoff.triage.text import CustomerText, customer_texts, with_headline

log = logging.getLogger("handoff.triage")

Label = Literal["very negative", "negative", "neutral", "positive", "very positive"]

# Upper bounds of each label on the [-1, 1] score. Grid-searched on bench/data (dev split) and rounded:
# VADER's compound saturates fast on email-length text, so the neutral band is wide and the "very"
# labels need a near-saturated score. The neutral band's top came down from 0.6 to 0.5 when the short messages
# (bench/data/short_messages.jsonl, dev split) were added to the grid: one positive word with a thank-you ("Really
# pleased with the service, thank you", +0.49) sat just under 0.6; the threads' scores moved by < 0.01.
THRESHOLDS: tuple[tuple[float, Label], ...] = (
    (-0.75, "very negative"),
    (-0.35, "negative"),
    (0.5, "neutral"),
    (0.85, "positive"),
)


# The same bands for a short message (SHORT_MESSAGE_WORDS or fewer words, English): a tweet-length message has one or
# two sentiment words, so its compound stays small ("good ipad" +0.44, "why I can't book a flight through your
# website?" -0.30) and the wide email band above called those neutral. Grid-searched on the dev splits of the real
# customer tweets (bench/data/airline_tweets_sample.jsonl, bench/data/sentiment_sanders_apple.jsonl) and our short
# messages, then rounded: 3-class macro-F1 airline 0.772 -> 0.784, Sanders 0.565 -> 0.608, short messages unchanged.
# The rules' label only: with the embeddings the head keeps its own band. A narrower head band blended with the rules
# (0.6 head + 0.4 rules, -0.2..0.2) lifted the same dev splits a lot (airline 0.75 -> 0.83, Sanders 0.56 -> 0.66) but
# lost on both held-out tweet sets (airline 0.625 -> 0.615, Sanders 0.626 -> 0.618), so it was left out.
SHORT_THRESHOLDS: tuple[tuple[float, Label], ...] = (
    (-0.75, "very negative"),
    (-0.25, "negative"),
    (0.4, "neutral"),
    (0.85, "positive"),
)


def label_for(score: float, short: bool = False) -> Label:
    for bound, label in SHORT_THRESHOLDS if short else THRESHOLDS:
        if score <= bound:
            return label
    return "very positive"


# Words that are politeness or support-desk vocabulary in a customer email, not sentiment.
_NEUTRAL_WORDS = (
    "please pls plz thanks thank thx ty dear help support care hope appreciate appreciated grateful sure "
    "free welcome cheers sincerely ok okay yes resolve resolved solve solved kind interested credit save "
    "saved allow ready clear urgent safe gift gifts present share"
).split()
# Domain re-weighting: in a complaint these mean something other than in a tweet.
# "sucking" and "slow" are missing from VADER's lexicon (it has "sucks", "sucked"); "thank you for sucking so much" and
# "so slow since the update" are complaints (dev split of bench/data/sentiment_sanders_apple.jsonl).
_LEXICON_OVERRIDES = {
    "promised": -0.8,
    "promise": -0.5,
    "joke": -1.5,
    "issue": -0.8,
    "issues": -0.8,
    "sucking": -1.9,
    "slow": -1.0,
}

_POLITENESS = re.compile(
    r"\b(?:(?:kind|best|warm|warmest|many)\s+regards"
    r"|thanks?(?:\s+you)?(?:\s+(?:so|very)\s+much)?(?:\s+in\s+advance)?"
    r"|(?:i|we)(?:'d|\s+would)\s+(?:really\s+)?(?:like|love|appreciate|be\s+grateful)|would\s+love\s+to"
    r"|hope\s+(?:you|this|that|to)|as\s+well|feel\s+free|look(?:ing)?\s+forward\s+to"
    r"|have\s+a\s+(?:nice|good|great|lovely)\s+(?:day|weekend|one|evening)"
    r"|best\s+wishes|if\s+you\s+(?:could|can|would))\b",
    re.I,
)

# (name, pattern, valence on VADER's -4..+4 scale). Order matters where phrases overlap: the first
# alternative that matches at a position wins, so longer, more specific phrases come first.
_PHRASES: tuple[tuple[str, str, float], ...] = (
    (
        "works_now",
        r"\b(?:works?|working)\s+(?:now|again|perfectly|fine|great)\b"
        r"|\b(?:problem|issue)\s+(?:is\s+|has\s+been\s+)?(?:solved|resolved|fixed|sorted)\b"
        r"|\ball\s+(?:sorted|fixed)\b",
        2.0,
    ),
    (
        "thanks_for_quick",
        r"\bthanks?(?:\s+you)?(?:\s+(?:so|very)\s+much)?\s+for\s+(?:the\s+|your\s+)?"
        r"(?:quick|fast|speedy|prompt|great|excellent|amazing|wonderful|kind|patience|swift)\b",
        2.2,
    ),
    (
        "still_no",
        r"\bstill\s+(?:no|not|nothing|none|haven'?t|hasn'?t|have\s+not|has\s+not|didn'?t|did\s+not|don'?t"
        r"|do\s+not|doesn'?t|does\s+not|isn'?t|is\s+not|can'?t|cannot|unable\s+to|waiting)(?:\s+\w+)?",
        -2.2,
    ),
    (
        "no_reply",
        r"\b(?:no|zero|without\s+any|not\s+a\s+single|not\s+one)\s+(?:reply|replies|response|responses|answer"
        r"|answers|update|updates|word|news|call\s+back|callback)\b"
        r"|\b(?:nobody|no\s+one|noone)\s+(?:has\s+|ever\s+)?(?:replied|responded|answered|got\s+back|called"
        r"|contacted|bothered)"
        r"|\b(?:haven'?t|have\s+not|hasn'?t|never)\s+(?:heard|had\s+a\s+(?:reply|response))(?:\s+back)?"
        r"|\bignor(?:ed|ing)\s+(?:me|my|us|our)",
        -2.2,
    ),
    (
        "never_received",
        r"\b(?:never|not\s+yet|haven'?t|have\s+not|hasn'?t|has\s+not|didn'?t|did\s+not|not)\s+(?:been\s+|even\s+)?"
        r"(?:received|receive|arrived|arrive|arrives|came|comes|delivered|shown\s+up|shows\s+up|turned\s+up|refunded"
        r"|credited|got\s+(?:it|my|the|a))\b",
        -2.2,
    ),
    (
        "again",
        r"\b(?:second|third|fourth|fifth|sixth|\d+(?:st|nd|rd|th))\s+time\b"
        r"|\b(?:multiple|several|numerous|many|countless|three|four|five|six|\d+)\s+times\b"
        r"|\bagain\s+and\s+again\b|\bonce\s+again\b|\brepeatedly\b|\byet\s+again\b",
        -1.6,
    ),
    (
        "waiting",
        r"\b(?:wait(?:ing|ed)?|been)\s+(?:for\s+)?(?:over\s+|more\s+than\s+|almost\s+|nearly\s+)?"
        r"(?:\d+|a|an|two|three|four|five|six|several|many|few)\s+(?:\w+\s+)?(?:days|weeks|months|week|month|hours|hour"
        r"|hrs|hr|minutes|mins)\b"
        r"|\bfor\s+(?:weeks|months|ages|days\s+now)\b",
        -2.0,
    ),
    (
        "not_working",
        r"(?:\bnot|n't|\bstopped|\bnever)\s+(?:work|working|loading|load|opening|syncing|responding|fixed)\b"
        r"|\bdoes(?:n'?t|\s+not)\s+work\b|\bkeeps?\s+(?:crashing|failing|freezing)\b",
        -1.8,
    ),
    # What real customers write to a support account and VADER does not know (the dev split of
    # bench/data/airline_tweets_sample.jsonl: ~6 in 10 of its complaints were scored neutral): the queue ("on hold for
    # over an hour"), a cancellation that happened to them rather than one they ask for, being stranded or missing a
    # connection, support they cannot reach, and the one-word verdicts ("#fail", "do not fly").
    (
        "on_hold",
        r"\bon\s+hold\b|\bhold\s+times?\b|\b(?:keep|kept|keeps)\s+(?:getting\s+)?(?:told|hanging\s+up|transferr?ed)\b"
        r"|\btoo\s+long\s+to\s+wait\b|\b(?:took|taking|takes)\s+(?:too|so)\s+long\b",
        -1.8,
    ),
    (
        "was_cancelled",
        r"\b(?:was|were|been|got|gets|keeps?|is|are)\s+(?:just\s+|now\s+|suddenly\s+)?cancel+(?:ed|led|ing)\b"
        r"|\bcancel+ed\s+(?:my\s+|our\s+|the\s+)?(?:flight|flights|train|trip)\b",
        -1.8,
    ),
    (
        "stranded",
        # A person stuck somewhere, not an upload "stuck at 99%" (a fault, which other words already score).
        r"\bstranded\b|\b(?:i'?m|i\s+am|we'?re|we\s+are|i\s+was|we\s+were|been|left|got)\s+stuck\s+(?:in|at|on|with)\b"
        r"|\bmiss(?:ed|ing)?\s+(?:my\s+|the\s+|our\s+|a\s+)?(?:connection|connecting\s+flight|flight|meeting|train)\b"
        r"|\b(?:gonna|going\s+to|will|i'll)\s+miss\b"
        r"|\b(?:messed|screwed)\s+up\b|\blost\s+(?:my|our|the)\s+(?:bag|bags|luggage|suitcase|parcel|package|file)\b",
        -1.8,
    ),
    (
        "cannot_reach",
        r"\b(?:can'?t|cannot|couldn'?t|unable\s+to|trying\s+to|tried\s+to)\s+(?:get\s+through|reach\s+(?:you|anyone"
        r"|someone|somebody|a\s+(?:person|human|rep|agent)))\b|\bhow\s+(?:do|can)\s+i\s+(?:get\s+through|reach\s+a)\b"
        r"|\b(?:is\s+)?any(?:one|body)\s+(?:answering|there|working)\b|\ba\s+human\s+being\b|\ball\s+i\s+get\s+is\b",
        -1.5,
    ),
    (
        "verdict",
        r"\b\w+fail\b|\bnogood\b|\byou\s?suck\b|\bworst\w+|\bdo\s+not\s+fly\b|\bnever\s+(?:fly|choose|book)\b"
        r"|\byou\s+(?:can|could)\s+do\s+better\b",
        -2.0,
    ),
    # What goes wrong with a device or an app, said without a lexicon word (the dev split of
    # bench/data/sentiment_sanders_apple.jsonl: about half its complaints scored exactly 0): data that is gone, a
    # service that is down or times out, a dead battery, a bricked phone, time wasted on it, a thank-you for nothing.
    (
        "data_gone",
        r"\b(?:lost|deleted|wiped|erased|ate)\s+(?:all\s+(?:of\s+)?)?(?:my|our)\s+(?:\w+\s+)?(?:stuff|data|contacts"
        r"|music|songs|photos|pictures|apps|files|messages|emails|mails|notes|documents|settings|history|account)\b"
        r"|\bbrick(?:ed)?\b|\b(?:timing|times|timed)\s+out\b|\bbattery\s+(?:drain|life\s+is\s+(?:bad|terrible|awful))"
        r"|\bdrain(?:s|ed|ing)?\s+(?:my|the)\s+battery\b"
        r"|\b(?:is|are|was|were|went|keeps?\s+going|been)\s+(?:always\s+|still\s+|completely\s+)?down\b(?!\s+(?:to|for|by|from))",
        -1.8,
    ),
    # Praise words said of what went wrong (sarcasm): "thanks for losing my suitcase", "great, another delay", "so
    # much for next day delivery", "love waiting two hours". VADER reads the praise word ("thanks" +1.9, "great"
    # +3.1) and the "grateful" phrase below read "thanks for losing" as thanks; the words of the match are replaced
    # by this phrase's token, so their praise is gone.
    (
        "sarcasm",
        r"\bthanks?(?:\s+you)?(?:\s+(?:so|very)\s+much)?\s+for\s+(?:the\s+)?(?:losing|breaking|cancel+ing|delaying|ruining"
        r"|ignoring|wasting|overcharging|stranding|misplacing|damaging|(?:\d+|two|three|four|five|six)[\s-]*(?:hours?|hrs?"
        r"|days?)\s+(?:of\s+)?delay)\b"
        r"|\b(?:oh\s+)?(?:great|wonderful|brilliant|perfect|fantastic|lovely|nice|awesome|terrific|super)\s*[,.!]+\s*"
        r"(?:another|yet\s+another)\b"
        # "so much for X" opens a sentence; after "thank you" / "thanks" it is thanks.
        r"|(?:^|(?<=[.!?,;:]))\s*so\s+much\s+for\b|\b(?:well|oh|yeah)\s*,?\s+so\s+much\s+for\b"
        r"|\blove\s+(?:waiting|sitting|being\s+(?:on\s+hold|stuck|ignored|charged)|paying|getting\s+(?:charged|bumped|cancel))\b"
        r"|\bnice\s+to\s+see\s+(?:\w+\s+){1,4}(?:down|broken|late|delayed|cancel+ed)\s+again\b",
        -2.0,
    ),
    (
        "time_wasted",
        r"\bwast(?:e|ed|es|ing)\s+(?:\w+\s+)?(?:of\s+)?(?:my|our|so\s+much|hours\s+of\s+my)\s+(?:\w+\s+)?time\b"
        r"|\bthanks?\s*(?:you\s+)?for\s+nothing\b|\bthanksfornothing\b"
        r"|\b(?:won'?t|wont|will\s+not|doesn'?t|does\s+not|didn'?t|did\s+not)\s+(?:even\s+)?(?:turn\s+on|boot|start"
        r"|charge|sync|connect|install|update|download)\b",
        -1.8,
    ),
    (
        "slow",
        r"\b(?:so|too|very|really|painfully|extremely|super|incredibly)\s+slow\b|\b(?:runs?|running|is|are)\s+slow(?:er)?\b"
        r"|\bslower\b",
        -1.2,
    ),
    (
        "fix_it",
        # "Fix it!", "please fix this": the customer reports something broken; a question about what can be changed
        # ("can you fix my address?") says "my", not "it/this".
        r"\b(?:please\s+)?fix\s+(?:it|this|that|these|them)\b|\bplease\s+fix\b|\bget\s+(?:it|this|that)\s+fixed\b"
        r"|\bwhy\s+(?:do|did|does|must|should)\s+(?:i|we)\s+(?:have|need)\s+to\b",
        -1.2,
    ),
    (
        # Struggling with it, something that should have happened by now, a delay with a size, an item gone missing:
        # the implicit complaints of issue 14 ("delays, lost items"), said the way customers say them.
        "having_trouble",
        r"\b(?:having|had|have)\s+(?:a\s+)?(?:hard\s+time|(?:so\s+much\s+|a\s+lot\s+of\s+)?trouble|problems?|difficult(?:y|ies))\b"
        r"|\bshould\s+(?:have|of|'ve)\s+(?:been\s+(?:here|delivered|fixed|refunded|sorted|resolved|sent|done|off|back)"
        r"|arrived|landed|left|departed|come|received|heard)\b"
        r"|\b(?:\d+|two|three|four|five|six|several|many)[\s-]*(?:hours?|hrs?|days?|weeks?|minutes?|mins?)\s+delay(?:s|ed)?\b"
        r"|\b(?:another|long|huge|massive|endless|constant|repeated)\s+delays?\b"
        r"|\bmissing\s+(?:\w+\s+)?(?:bag|bags|luggage|suitcase|item|items|package|parcel|order|refund|money|part|parts)\b"
        r"|\b(?:bag|bags|luggage|suitcase|package|parcel|order|item|items)\s+(?:is|are|was|were|went|has\s+gone)\s+missing\b",
        -1.5,
    ),
    # Mild on purpose: "please cancel at the end of the term" is a neutral request, yet a cancellation is
    # still a loss signal that should tip an otherwise flat message.
    ("cancel", r"\b(?<!noise )(?<!noise-)cancel\w*", -0.8),
    (
        "cannot_use",
        r"\b(?:can'?t|cannot|can\s+not|unable\s+to|couldn'?t|could\s+not)\s+(?:log|sign|access|get\s+in|open|use"
        r"|login|connect|load|print|upload|download|save|pay|find\s+(?:it|my)|book|rebook|reschedule|check\s+in"
        r"|seem\s+to\s+(?:find|get|log|access|book))\b|\blocked\s+out\b",
        -1.2,
    ),
    ("crash", r"\bcrash(?:es|ed|ing)?\b|\bfreez(?:es|ing)\b|\bkeeps?\s+(?:logging|disconnecting)\b", -1.5),
    (
        "not_updated",
        r"\b(?:hasn'?t|has\s+not|haven'?t|have\s+not|not)\s+(?:been\s+)?(?:updated|changed|moved|fixed|resolved"
        r"|processed|corrected)\b",
        -1.5,
    ),
    ("late", r"\b(?:late|delayed|overdue|damaged|faulty|defective)\b", -1.2),
    (
        "grateful",
        r"\bthanks?(?:\s+you)?(?:\s+(?:so|very)\s+much)?\s+for\s+(?:\w+ing|sorting)\b"
        r"|\b(?:much|really|greatly|truly)\s+appreciated?\b(?!\s+(?:it\s+)?if)",
        1.8,
    ),
    (
        "charged_twice",
        r"\bcharged\s+(?:me\s+|us\s+)?(?:twice|double|again)\b|\bdouble[- ]charged\b|\bovercharg\w*",
        -1.8,
    ),
    (
        "fed_up",
        r"\bfed\s+up\b|\bsick\s+(?:and\s+tired\s+)?of\b|\bwaste\s+of\s+(?:time|money)\b|\brip[- ]?off\b"
        r"|\b(?:take|taking)\s+(?:my|our)\s+business\s+elsewhere\b|\bnever\s+(?:again|buy|order|use)\b",
        -2.5,
    ),
    (
        "escalation",
        r"\b(?:legal\s+action|lawyer|solicitor|ombudsman|trading\s+standards|small\s+claims|chargeback"
        r"|report\s+(?:you|this)|formal\s+complaint|escalate)\b",
        -2.0,
    ),
    (
        "chaser",
        r"\b(?:any\s+(?:update|news)|what\s+is\s+going\s+on|what's\s+going\s+on|how\s+much\s+longer|where\s+is\s+(?:it|my)"
        r"|how\s+long\s+(?:do|does|will|must))\b",
        -1.0,
    ),
    ("demand_refund", r"\b(?:want|demand|need|expect)\s+(?:a\s+|my\s+)?(?:full\s+)?refund\b", -1.0),
    # A complaint asked as a question ("clicked upgrade and it didn't upgrade. What gives?", "how am I supposed to get
    # home?"): the "?" made it a plain request (`_plain_request`), read with the wide band. In the dev tweets
    # (airline, airline-dev2, Sanders) all 6 that have one of these are labelled negative; 3 were read neutral.
    (
        "rhetorical",
        r"\bwhat\s+gives\b|\bwhat\s+the\s+(?:hell|heck)\b|\bhow\s+(?:am\s+i|are\s+we|is\s+anyone|is\s+one)\s+supposed\s+to\b"
        r"|\bis\s+(?:it|that)\s+too\s+much\s+to\s+ask\b|\bwhat(?:'s|\s+is)\s+wrong\s+with\s+(?:you|your|this|the)\b"
        r"|\bare\s+you\s+(?:guys\s+)?(?:kidding|serious|joking)\b|\bis\s+this\s+(?:a\s+joke|for\s+real)\b"
        r"|\bhow\s+(?:hard|difficult)\s+(?:is\s+it|can\s+it\s+be)\s+to\b|\bwhat(?:'s|\s+is)\s+the\s+point\s+of\b",
        -1.6,
    ),
    # Mild complaints say how long it has been or that nothing moved, without a single lexicon word
    # (issue 14: ~4 in 10 scored neutral). From bench/data/short_messages.jsonl, dev split.
    (
        "it_has_been",
        r"\b(?:it'?s|it\s+has|it\s+is|that'?s|that\s+was)\s+(?:been\s+)?(?:over\s+|more\s+than\s+|almost\s+)?"
        r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|a\s+few|several)\s+(?:days|weeks|months|hours|hrs)\b"
        r"|\b(?:waiting|waited|been\s+waiting)\s+since\b",
        -1.8,
    ),
    (
        "nothing_moved",
        r"\bnothing\s+(?:has\s+|have\s+)?(?:changed|happened|moved|improved|arrived|come)\b"
        r"|\bhung\s+up\s+on\b|\b(?:didn'?t|did\s+not|never)\s+(?:turn\s+up|show\s+up|call\s+(?:me\s+)?back)\b"
        r"|\bnobody\s+did\b|\bno\s+one\s+did\b|\bfinally\s+(?:look|answer|reply|respond|get|fix|sort)",
        -1.8,
    ),
    # The same support phrases in the other languages customers write in (de, fr, es, nl, it, pt): VADER knows
    # none of their words, so without these every such message was neutral.
    (
        "ml_still_no",
        r"\bimmer\s+noch\s+(?:nicht|kein\w*|kein)|\bnoch\s+(?:immer\s+)?(?:keine?|nicht)\s+(?:antwort|r[üu]ckmeldung|geld)"
        r"|\btoujours\s+(?:pas|rien|aucun\w*|sans)|\btoujours\s+en\s+attente|\bj'attends\s+toujours"
        r"|\btodav[íi]a\s+(?:no|nada|sin)\b|\bsigo\s+(?:esperando|sin)\b|\ba[úu]n\s+no\b"
        r"|\bnog\s+steeds\s+(?:geen|niet|niets|wacht\w*)|\bwacht\s+nog\s+steeds"
        r"|\bancora\s+(?:non|nessun\w*|niente|aspett\w*)|\bsto\s+ancora\s+aspettando|\bnon\s+ho\s+ancora"
        r"|\bainda\s+(?:n[ãa]o|nada|sem|estou\s+[àa]\s+espera|aguardo)",
        -2.2,
    ),
    (
        # What has not arrived or not come back, and (Polish, Swedish) "still not": the commonest complaint of the
        # language threads' dev split (bench/data/support_emails_languages.jsonl), where these scored exactly 0.
        "ml_not_arrived",
        r"\bnichts?\s+(?:angekommen|erhalten|geliefert)|\bnicht\s+(?:angekommen|erhalten|geliefert|zur[üu]ck)"
        r"|\bnie\s+angekommen|\b(?:pas|jamais|rien)\s+(?:re[çc]u|arriv[ée]e?|livr[ée]e?)\b"
        r"|\bno\s+(?:me\s+)?ha\s+llegado|\bno\s+he\s+recibido|\bnunca\s+lleg[óo]"
        r"|\bniets?\s+(?:ontvangen|gekregen)|\bniet\s+(?:aangekomen|geleverd|ontvangen|bezorgd)|\bnooit\s+aangekomen"
        r"|\bnon\s+(?:[èe]\s+)?(?:mai\s+|ancora\s+)?(?:arrivat[oa]|ricevut[oa])|\bnon\s+ho\s+(?:mai\s+)?ricevuto"
        r"|\bn[ãa]o\s+(?:chegou|recebi|foi\s+entregue)|\bnunca\s+chegou"
        r"|\bfortfarande\s+(?:inte|ingen|inget)|\binte\s+(?:kommit|f[åa]tt|levererats)|\baldrig\s+kommit"
        r"|\b(?:nadal|wci[ąa][żz]|ci[ąa]gle)\s+nie|\bnie\s+(?:dosta[łl]em|dosta[łl]am|otrzyma[łl]em|otrzyma[łl]am"
        r"|dotar[łl][oa]?|przysz[łl][oa]?)",
        -2.2,
    ),
    (
        # Something that does not open, shows an error, is blocked or broken, in the same languages.
        "ml_broken",
        r"\bunbrauchbar|\bfehlermeldung|\bgesperrt|\bfalsche[nrs]?\s+(?:artikel|gr[öo](?:ß|ss)e|ware)"
        r"|\bpage\s+blanche|\bmessage\s+d'erreur|\bbloqu[ée]e?\b|\bne\s+s'ouvre\s+(?:plus|pas)"
        r"|\bne\s+(?:peux|parviens)\s+(?:plus|pas)\s+(?:me\s+connecter|acc[ée]der|payer|commander)"
        r"|\bno\s+(?:me\s+)?deja\b|\bno\s+(?:se\s+)?abre\b|\bda\s+error|\bbloquead[oa]|\bno\s+puedo\s+(?:acceder|entrar|pagar)"
        r"|\bbloccat[oa]|\bnon\s+riesco|\bd[àa]\s+errore|\bnon\s+si\s+apre"
        r"|\bpartid[oa]\b|\bn[ãa]o\s+abre|\bd[áa]\s+erro|\bfecha\s+sozinh[ao]|\bn[ãa]o\s+consigo"
        r"|\bfoutmelding|\bvalt\s+(?:\w+\s+)?weg\b|\bgeblokkeerd|\bkan\s+(?:niet|geen)\s+(?:meer\s+)?(?:inloggen|betalen|bestellen)"
        r"|\bkraschar|\bfelmeddelande|\bfungerar\s+inte|\bg[åa]r\s+inte\s+att|\bkan\s+inte\s+(?:logga|betala|best[äa]lla)"
        r"|\bb[łl][ąa]d\b|\bnie\s+dzia[łl]a|\bnie\s+mog[ęe]|\bzablokowan[eya]",
        -1.8,
    ),
    (
        "ml_no_reply",
        r"\bniemand\s+(?:antwortet|meldet|reagiert|reageert)|\bkeine\s+antwort|\bgeen\s+(?:antwoord|reactie)"
        r"|\bpersonne\s+ne\s+(?:me\s+)?r[ée]pond|\bpas\s+de\s+r[ée]ponse|\baucune\s+r[ée]ponse"
        r"|\bnadie\s+(?:me\s+)?(?:contesta|responde)|\bsin\s+respuesta|\bninguna\s+respuesta"
        r"|\bnessuno\s+(?:mi\s+)?risponde|\bnessuna\s+risposta|\bningu[ée]m\s+(?:me\s+)?responde|\bnenhuma\s+resposta",
        -2.2,
    ),
    (
        "ml_again",
        r"\b(?:dritte|vierte)[ns]?\s+(?:mal|nachfrage|e-?mail)|\bzum\s+(?:dritten|x-ten)\s+mal"
        r"|\b(?:troisi[èe]me|quatri[èe]me)\s+fois|\b(?:tercera|cuarta)\s+vez|\b(?:derde|vierde)\s+keer"
        r"|\b(?:terza|quarta)\s+volta|\b(?:terceira|quarta)\s+vez",
        -1.6,
    ),
    (
        "ml_problem",
        r"\bbesch[äa]digt|\bdefekt|\bkaputt|\bzu\s+sp[äa]t|\bversp[äa]t\w*|\bfunktioniert\s+(?:nicht|nicht\s+mehr)"
        r"|\bab[îi]m[ée]|\bendommag[ée]|\bcass[ée]|\ben\s+retard|\bne\s+(?:fonctionne|marche)\s+(?:plus|pas)"
        r"|\broto\b|\brota\b|\bda[ñn]ad[oa]|\bno\s+funciona|\bdej[óo]\s+de\s+funcionar|\bcon\s+retraso"
        r"|\bbeschadigd|\bkapot|\bte\s+laat|\bwerkt\s+niet|\bdanneggiat[oa]|\brott[oa]\b|\bin\s+ritardo"
        r"|\bnon\s+funziona|\bsmesso\s+di\s+funzionare|\bdanificad[oa]|\batrasad[oa]"
        r"|\bn[ãa]o\s+funciona|\bdeixou\s+de\s+funcionar|\bavariad[oa]"
        r"|\bzweimal\s+(?:abgebucht|berechnet)|\bdeux\s+fois\b|\bdos\s+veces\b|\btwee\s+keer\b"
        r"|\bdue\s+volte\b|\bduas\s+vezes\b"
        # The device complaints of the English "data_gone" / "slow" phrases: crashes, slowness, data gone.
        r"|\bst[üu]rzt\s+(?:\w+\s+)?ab\b|\bh[äa]ngt\s+sich\s+auf|\b(?:sehr|zu|extrem)\s+langsam|\b(?:daten|kontakte|fotos)\s+(?:sind\s+)?(?:weg|verloren|gel[öo]scht)"
        r"|\b(?:l'appli(?:cation)?|l'app|il|elle|[çc]a)\s+plante\b|\bplante\s+(?:tout\s+le\s+temps|souvent|sans\s+arr[êe]t)"
        r"|\b(?:tr[èe]s|trop)\s+lent|\bj'ai\s+perdu\s+(?:tou(?:tes|s)\s+)?mes"
        r"|\bse\s+(?:bloquea|cuelga|cierra\s+sol[oa])|\b(?:muy|demasiado)\s+lent[oa]|\bperd[íi]\s+(?:todos\s+)?mis"
        r"|\bcrasht|\bloopt\s+vast|\b(?:erg|te|heel)\s+traag|\b(?:gegevens|contacten|foto'?s)\s+(?:zijn\s+)?(?:kwijt|weg)"
        r"|\bsi\s+blocca|\bcrasha|\b(?:molto|troppo)\s+lent[oa]|\bho\s+perso\s+(?:tutt[ei]\s+)?(?:i\s+|le\s+)?mie?i?"
        r"|\b(?:app|aplicativo|aplica[çc][ãa]o|telem[óo]vel|celular)\s+trava|\btrava\s+(?:sempre|toda\s+hora|muito)"
        r"|\b(?:muito|demasiado)\s+lent[oa]|\bperdi\s+(?:todos\s+)?(?:os\s+|as\s+)?(?:meus|minhas)",
        -1.8,
    ),
    (
        "ml_unhappy",
        r"\bentt[äa]uscht|\bver[äa]rgert|\bunzufrieden|\bunversch[äa]mt|\bd[ée][çc]u[es]?\b|\bm[ée]content"
        r"|\binadmissible|\binacceptable|\bdecepcionad[oa]|\bmolest[oa]\b|\binaceptable|\bteleurgesteld"
        r"|\bontevreden|\bonacceptabel|\bdelus[oa]\b|\binaccettabile|\binsoddisfatt[oa]|\binsatisfeit[oa]"
        r"|\bdesiludid[oa]|\binaceit[áa]vel"
        # A complaint named as one, a threat to report, an outrage.
        r"|\bzumutung|\bfrechheit|\b[äa]rgerlich|\bums?t[äa]ndlich|\bun[üu]bersichtlich|\bbeschwerde"
        r"|\bplainte\b|\br[ée]clamation|\bmaleducad[oa]|\bqueja\b|\bdenunci\w+|\breclamaci[óo]n"
        r"|\bqueixa\b|\breclama[çc][ãa]o|\brecusam|\bben\s+het\s+zat|\bklacht|\breclamo\b|\bmaleducat[oa]"
        r"|\bmissn[öo]jd|\bbesviken|\bklagom[åa]l|\breklamacj\w+|\bskarg\w+|\brozczarowan\w+|\bniezadowolon\w+",
        -2.2,
    ),
    (
        "ml_good",
        # English words VADER already knows (super, perfect, excellent) are left to its lexicon.
        r"\b(?:perfekt|prima|toll|klasse|parfait|g[ée]nial|perfecto|excelente|estupendo|geweldig|uitstekend"
        r"|perfetto|ottimo|fantastico|eccellente|perfeito|[óo]timo|maravilh\w+|complimenti|bel\s+lavoro|j[äa]ttebra"
        r"|[śs]wietn\w+)\b|\b(?:alles\s+erledigt|hat\s+geklappt|funktioniert\s+(?:jetzt|wieder)"
        r"|c'est\s+r[ée]gl[ée]|tout\s+fonctionne|ya\s+funciona|(?:est[áa]\s+|todo\s+)?(?:solucionado|resuelto)"
        r"|het\s+werkt\s+(?:weer|nu)|(?:helemaal\s+)?opgelost|ora\s+funziona|tutto\s+risolto|risolto"
        r"|j[áa]\s+funciona|(?:ficou\s+)?(?:tudo\s+)?resolvido)\b",
        2.0,
    ),
)
_PHRASE_RE = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern, _ in _PHRASES), re.I)


def _top_alternatives(pattern: str) -> list[str]:
    """The alternatives of a pattern at its top level (not inside a group or a character class)."""
    out: list[str] = []
    current: list[str] = []
    depth, i, in_class = 0, 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            current.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "|" and depth == 0:
            out.append("".join(current))
            current = []
            i += 1
            continue
        current.append(char)
        i += 1
    out.append("".join(current))
    return out


def _fast_phrase_regex() -> re.Pattern[str]:
    """_PHRASE_RE, matching the same spans in the same order, for lower-cased text. Each position of a text tried every
    alternative of every phrase, each with its own `\b` and case-folded letters: the phrases added for issue 14 made
    that 1.5x slower. Here a run of phrases whose alternatives all start with `\b` shares one `\b` (a position inside
    a word fails once), and without IGNORECASE the regex engine skips an alternative on its first letter."""
    parts: list[str] = []
    run: list[str] = []
    for name, pattern, _ in _PHRASES:
        alternatives = _top_alternatives(pattern)
        if all(a.startswith(r"\b") for a in alternatives):
            run.append(f"(?P<{name}>{'|'.join(a[2:] for a in alternatives)})")
            continue
        if run:
            parts.append(r"\b(?:" + "|".join(run) + ")")
            run = []
        parts.append(f"(?P<{name}>{pattern})")
    if run:
        parts.append(r"\b(?:" + "|".join(run) + ")")
    return re.compile("|".join(parts))


_PHRASE_RE_LOWER = _fast_phrase_regex()


_ANY_CHAR = object()  # a first character the analysis below cannot narrow down


def _first_chars(items: Any) -> tuple[list[Any], bool]:
    """What the first character a parsed regex (re._parser's items) consumes can be, and whether it can consume none.
    Each entry is a character or an IN node's items (a class, tested by `_in_class`); `_ANY_CHAR` when it cannot
    tell. Zero-width items (\\b, lookarounds) are passed over: the set is only ever too big, never too small."""
    from re import _constants as sre

    out: list[Any] = []
    for op, av in items:
        if op is sre.LITERAL:
            out.append(chr(av))
            return out, False
        if op is sre.IN:
            out.append(av)
            return out, False
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue
        if op is sre.SUBPATTERN:
            first, empty = _first_chars(av[-1])
        elif op is sre.BRANCH:
            first, empty = [], False
            for branch in av[1]:
                more, more_empty = _first_chars(branch)
                first += more
                empty = empty or more_empty
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            first, empty = _first_chars(av[2])
            empty = empty or av[0] == 0
        else:  # ANY, NOT_LITERAL, a group reference, ...: anything
            return [*out, _ANY_CHAR], False
        out += first
        if not empty:
            return out, False
    return out, True


def _in_class(char: str, items: Any) -> bool:
    """Whether `char` is in a parsed character class (re._parser's IN items); True when unsure."""
    from re import _constants as sre

    categories = {
        sre.CATEGORY_DIGIT: r"\d",
        sre.CATEGORY_NOT_DIGIT: r"\D",
        sre.CATEGORY_WORD: r"\w",
        sre.CATEGORY_NOT_WORD: r"\W",
        sre.CATEGORY_SPACE: r"\s",
        sre.CATEGORY_NOT_SPACE: r"\S",
    }
    negate, found = False, False
    for op, av in items:
        if op is sre.NEGATE:
            negate = True
        elif op is sre.LITERAL:
            found = found or char == chr(av)
        elif op is sre.RANGE:
            found = found or av[0] <= ord(char) <= av[1]
        elif op is sre.CATEGORY and av in categories:
            found = found or re.fullmatch(categories[av], char) is not None
        else:
            return True
    return found != negate


def _word_chars_only(first: Any) -> bool:
    """Whether a `_first_chars` entry can only be a word character (\\w): then, after \\b, it starts a word."""
    from re import _constants as sre

    if isinstance(first, str):
        return re.fullmatch(r"\w", first) is not None
    if first is _ANY_CHAR:
        return False
    for op, av in first:
        if op is sre.LITERAL:
            if not re.fullmatch(r"\w", chr(av)):
                return False
        elif op is sre.RANGE:
            if av[1] - av[0] > 4096 or not all(re.fullmatch(r"\w", chr(c)) for c in range(av[0], av[1] + 1)):
                return False
        elif not (op is sre.CATEGORY and av in (sre.CATEGORY_DIGIT, sre.CATEGORY_WORD)):
            return False  # NEGATE, another category: unsure
    return True


_BOUNDARY = r"\b"


class _PhraseScanner:
    """_PHRASE_RE_LOWER's matches, found by trying at each position only the phrase alternatives that can start with
    the character there. finditer tries every alternative of every phrase at every position of the text (85 µs for a
    77-character text, the largest part of the sentiment stage); here the regex engine is called only where a phrase
    can begin (each word start, and each "n"/"s" for not_working's "n't"), with the alternatives, kept in their order,
    that can start with that character there. At any position the first alternative in _PHRASES' order that matches is
    the one finditer reports (nothing follows a phrase's group), so the spans and names are the same. An alternative
    that starts with \\b and a word character can only match at a word start; the others ("n't") anywhere."""

    def __init__(self) -> None:
        import re._parser as sre_parse

        # (name, pattern, first characters, whether it can only match at a word start)
        self.alternatives: list[tuple[str, str, list[Any], bool]] = []
        anywhere: set[str] = set()  # first characters of the alternatives that need not start a word
        everywhere = False  # an alternative that may start anywhere with any character
        for name, pattern, _ in _PHRASES:
            for alternative in _top_alternatives(pattern):
                first, empty = _first_chars(sre_parse.parse(alternative))
                if empty:
                    raise ValueError(f"phrase {name}: an alternative that can match nothing")
                at_word_start = alternative.startswith(r"\b") and all(_word_chars_only(f) for f in first)
                self.alternatives.append((name, alternative, first, at_word_start))
                if at_word_start:
                    continue
                if all(isinstance(f, str) for f in first):
                    anywhere.update(first)
                else:
                    everywhere = True
        # Group 1: a word start; otherwise a character an alternative outside word starts can begin with.
        rest = r"(?s:.)" if everywhere else "|".join(re.escape(c) for c in sorted(anywhere))
        self.candidates = re.compile(r"(\b\w)" + (f"|{rest}" if rest else ""))
        # (character, at a word start) -> (regex with one numbered group per alternative, the groups' phrase names)
        self.chosen: dict[tuple[str, bool], tuple[re.Pattern[str], list[str]] | None] = {}

    def _for(self, char: str, word_start: bool) -> tuple[re.Pattern[str], list[str]] | None:
        """The alternatives that can start with `char` at such a position, in order, as one regex."""
        chosen = [
            (name, alternative)
            for name, alternative, first, at_word_start in self.alternatives
            if (word_start or not at_word_start)
            and any(f is _ANY_CHAR or (f == char if isinstance(f, str) else _in_class(char, f)) for f in first)
        ]
        entry = None
        if chosen:
            # Each alternative is told by an empty group after it, not by a group around it: the engine tests a
            # branch's first character before entering it only when the branch starts with that character (not a
            # group's mark), and most alternatives fail there. At a word start the alternatives' leading \b holds
            # (the candidate is \b\w), so it is left out and the branch starts with its first letter: half the
            # time of these matches, the same spans.
            bare = [a[2:] if word_start and a.startswith(_BOUNDARY) else a for _, a in chosen]
            regex = re.compile("|".join(f"(?:{alternative})()" for alternative in bare))
            if regex.groups != len(chosen):  # an alternative with groups of its own: one group around each
                regex = re.compile("|".join(f"({alternative})" for _, alternative in chosen))
            entry = (regex, [""] + [name for name, _ in chosen])
        if len(self.chosen) < 4096:  # a text of many distinct characters does not grow this without bound
            self.chosen[(char, word_start)] = entry
        return entry

    def finditer(self, lowered: str) -> Iterator[tuple[int, int, str]]:
        done = 0
        chosen = self.chosen
        for candidate in self.candidates.finditer(lowered):
            start = candidate.start()
            if start < done:
                continue
            key = (lowered[start], candidate.lastindex == 1)
            entry = chosen[key] if key in chosen else self._for(*key)
            if entry is None:
                continue
            m = entry[0].match(lowered, start)
            if m is not None:
                done = m.end()
                yield start, done, entry[1][m.lastindex or 0]


_PHRASE_SCANNER = _PhraseScanner()


def _phrase_matches(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, phrase name) of each support phrase in the text, as _PHRASE_RE.finditer finds them."""
    lowered = text.lower()
    if len(lowered) == len(text):
        yield from _PHRASE_SCANNER.finditer(lowered)
        return
    # lower() changed the length ("İ"): spans would not line up, so the case-insensitive regex
    for m in _PHRASE_RE.finditer(text):
        yield m.start(), m.end(), m.lastgroup or ""


def _token(name: str) -> str:
    # A word VADER will look up as-is: letters only, so its punctuation stripping leaves it alone.
    return "zzphrase" + name.replace("_", "")


class LinearVader(SentimentIntensityAnalyzer):
    """VADER with the same scores in linear time. vaderSentiment 3.3.2 lower-cases the whole word list again for
    every sentiment word it looks at (`_negation_check`, `_special_idioms_check`) and, when the text has a "but",
    looks each score up with `list.index` (`_but_check`): quadratic in the words of one text, 13 s for 8,000 words
    and hours for a 1 MB message. It also rebuilds the text one character at a time with `+=` to replace emojis,
    which copies the whole string per character once the allocator cannot grow it in place (7 s for 600 kB in the
    pipeline). These overrides do exactly what the originals do, word lookups included (negative indexes wrap
    around as they do there), without the copies and the searches."""

    def polarity_scores(self, text: str) -> dict[str, float]:
        # The library's method with the emoji replacement built as a list; the rest is unchanged.
        if not self.emojis.keys() & set(text):
            text = text.strip()
        else:
            pieces: list[str] = []
            prev_space = True
            for char in text:
                if char in self.emojis:
                    if not prev_space:
                        pieces.append(" ")
                    pieces.append(self.emojis[char])
                    prev_space = False
                else:
                    pieces.append(char)
                    prev_space = char == " "
            text = "".join(pieces).strip()
        sentitext = SentiText(text)
        sentiments: list[float] = []
        words_and_emoticons = sentitext.words_and_emoticons
        last = len(words_and_emoticons) - 1
        for i, item in enumerate(words_and_emoticons):
            valence = 0
            if item.lower() in BOOSTER_DICT:
                sentiments.append(valence)
                continue
            if i < last and item.lower() == "kind" and words_and_emoticons[i + 1].lower() == "of":
                sentiments.append(valence)
                continue
            sentiments = self.sentiment_valence(valence, sentitext, item, i, sentiments)
        sentiments = self._but_check(words_and_emoticons, sentiments)
        return self.score_valence(sentiments, text)

    @staticmethod
    def _negation_check(valence: float, words_and_emoticons: list[str], start_i: int, i: int) -> float:
        def word(k: int) -> str:
            return str(words_and_emoticons[k]).lower()

        if start_i == 0:
            if negated([word(i - (start_i + 1))]):
                valence = valence * N_SCALAR
        if start_i == 1:
            if word(i - 2) == "never" and (word(i - 1) == "so" or word(i - 1) == "this"):
                valence = valence * 1.25
            elif word(i - 2) == "without" and word(i - 1) == "doubt":
                pass
            elif negated([word(i - (start_i + 1))]):
                valence = valence * N_SCALAR
        if start_i == 2:
            # VADER's own precedence: (never and (so or this)) or (so or this).
            if (word(i - 3) == "never" and (word(i - 2) == "so" or word(i - 2) == "this")) or (
                word(i - 1) == "so" or word(i - 1) == "this"
            ):
                valence = valence * 1.25
            elif word(i - 3) == "without" and (word(i - 2) == "doubt" or word(i - 1) == "doubt"):
                pass
            elif negated([word(i - (start_i + 1))]):
                valence = valence * N_SCALAR
        return valence

    @staticmethod
    def _special_idioms_check(valence: float, words_and_emoticons: list[str], i: int) -> float:
        def word(k: int) -> str:
            return str(words_and_emoticons[k]).lower()

        onezero = f"{word(i - 1)} {word(i)}"
        twoonezero = f"{word(i - 2)} {word(i - 1)} {word(i)}"
        twoone = f"{word(i - 2)} {word(i - 1)}"
        threetwoone = f"{word(i - 3)} {word(i - 2)} {word(i - 1)}"
        threetwo = f"{word(i - 3)} {word(i - 2)}"
        for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
            if seq in SPECIAL_CASES:
                valence = SPECIAL_CASES[seq]
                break
        if len(words_and_emoticons) - 1 > i:
            zeroone = f"{word(i)} {word(i + 1)}"
            if zeroone in SPECIAL_CASES:
                valence = SPECIAL_CASES[zeroone]
        if len(words_and_emoticons) - 1 > i + 1:
            zeroonetwo = f"{word(i)} {word(i + 1)} {word(i + 2)}"
            if zeroonetwo in SPECIAL_CASES:
                valence = SPECIAL_CASES[zeroonetwo]
        for n_gram in (threetwoone, threetwo, twoone):
            if n_gram in BOOSTER_DICT:
                valence = valence + BOOSTER_DICT[n_gram]
        return valence

    @staticmethod
    def _but_check(words_and_emoticons: list[str], sentiments: list[float]) -> list[float]:
        words = [str(w).lower() for w in words_and_emoticons]
        if "but" not in words:
            return sentiments
        bi = words.index("but")
        # The original walks the list and rescales, for each value it meets, the first position holding an equal
        # value (`sentiments.index`), which may be an earlier one. The first such position comes from a heap per
        # value; a position that has moved on to another value is skipped when it surfaces.
        holding: dict[float, list[int]] = {}
        for index, value in enumerate(sentiments):
            holding.setdefault(value, []).append(index)  # ascending: already a heap
        for index in range(len(sentiments)):
            value = sentiments[index]
            heap = holding[value]
            while sentiments[heap[0]] != value:
                heapq.heappop(heap)
            first = heap[0]
            if first < bi:
                scaled = value * 0.5
            elif first > bi:
                scaled = value * 1.5
            else:
                continue
            sentiments[first] = scaled
            heapq.heappush(holding.setdefault(scaled, []), first)
        return sentiments


def build_analyzer() -> SentimentIntensityAnalyzer:
    analyzer = LinearVader()
    lexicon = dict(analyzer.lexicon)
    for word in _NEUTRAL_WORDS:
        lexicon.pop(word, None)
    lexicon.update(_LEXICON_OVERRIDES)
    for name, _, valence in _PHRASES:
        lexicon[_token(name)] = valence
    analyzer.lexicon = lexicon
    return analyzer


# The support phrases found in a text, kept for the rest of one SentimentScorer.score call: a text is read for its
# phrases up to four times there (prepare, gratitude_counts in score_text, evidence_of and its gratitude_counts on the
# joined text, which is the only part's text when the customer wrote one message without a subject).
Memo = dict[str, list[tuple[int, int, str]]]


def _matches(text: str, memo: Memo | None) -> list[tuple[int, int, str]]:
    if memo is None:
        return list(_phrase_matches(text))
    found = memo.get(text)
    if found is None:
        found = memo[text] = list(_phrase_matches(text))
    return found


def prepare(text: str, memo: Memo | None = None) -> str:
    """The text VADER sees: support phrases as tokens, politeness removed."""
    pieces: list[str] = []
    last = 0
    for start, end, name in _matches(text, memo):
        pieces += (text[last:start], f" {_token(name)} ")
        last = end
    pieces.append(text[last:])
    text = "".join(pieces)
    return _POLITENESS.sub(" ", text)


def phrases_in(text: str, memo: Memo | None = None) -> list[str]:
    return [name for _, _, name in _matches(text, memo)]


# Thanks is politeness when it comes with a request or a complaint ("Please help. Thanks") and the whole point
# when it comes alone ("Perfect, thank you.", "Cheers, that's sorted it"): issue 14 found ~4 in 10 short thanks
# scored neutral because every "thanks" was taken out. It counts when nothing in the message asks or complains.
_GRATITUDE = re.compile(
    r"\b(?:thanks|thank\s+(?:you|u)|thankyou|thx+|thnx|thanx|ty|cheers|(?:much|greatly|really|truly)\s+appreciated|appreciate\s+(?:it|that|you)"
    r"|danke|vielen\s+dank|merci|gracias|grazie|obrigad[oa]|bedankt|dank\s+(?:je|u)|dankjewel|tack)\b",
    re.I,
)
_REQUEST = re.compile(
    r"\?|\b(?:please|pls|plz|could\s+you|can\s+you|would\s+you|in\s+advance|let\s+me\s+know|i\s+need|i\s+want"
    r"|bitte|k[öo]nnten\s+sie|k[öo]nnen\s+sie|pourriez|pouvez|s'il\s+vous|por\s+favor|puede[ns]?|podr[íi]an?"
    r"|per\s+favore|potete|potreste|alstublieft|kunt\s+u|podem|poderiam|por\s+gentileza)\b",
    re.I,
)
_GRATITUDE_TOKEN = "zzphrasegratitude"
GRATITUDE_VALENCE = 2.0
# A short message (SHORT_MESSAGE_WORDS or fewer words from the customer) that thanks is a thank-you note; in a longer
# mail the same thanks is mostly the formula around what it says. At 2.0 VADER's compound of the token alone is 0.46,
# inside THRESHOLDS' neutral band (0.5): a bare "Thank you." or "DM sent. Thank you." stayed neutral while "Thanks!"
# (its "!") was positive, and on real customer tweets (dev split of bench/data/airline_tweets_sample.jsonl) those
# short thanks are positive. 2.6 gives 2.6 / sqrt(2.6² + 15) = 0.56. Raising it for every mail also lifted neutral
# requests in the support threads (dev), so longer mail keeps 2.0.
_GRATITUDE_SHORT_TOKEN = "zzphrasegratitudeshort"
GRATITUDE_SHORT_VALENCE = 2.6
SHORT_MESSAGE_WORDS = 30
# Below THRESHOLDS' "positive" bound (0.85).
GRATITUDE_CAP = 0.8
_NEGATIVE_PHRASES = frozenset(name for name, _, valence in _PHRASES if valence < 0)
# A complaint said in so many words ("on hold for over an hour", "still no reply", "stranded"): not the mild ones
# ("cancel", "can't log in", "late", "any update?") that neutral requests use too.
_COMPLAINT_PHRASES = frozenset(name for name, _, valence in _PHRASES if valence <= -1.5)
_PRAISE_PHRASES = frozenset(name for name, _, valence in _PHRASES if valence > 0)


def evidence_of(text: str, memo: Memo | None = None) -> str | None:
    """The polarity the text states in so many words: negative for a complaint phrase, positive for a praise phrase or
    thanks that counts (`gratitude_counts`), None otherwise."""
    found = set(phrases_in(text, memo))
    if found & _COMPLAINT_PHRASES:
        return "negative"
    if found & _PRAISE_PHRASES or gratitude_counts(text, memo):
        return "positive"
    return None


def gratitude_counts(text: str, memo: Memo | None = None) -> bool:
    """True when thanks is what the message says, not the politeness around a request or a complaint."""
    if not _GRATITUDE.search(text) or _REQUEST.search(text):
        return False
    return not any(name in _NEGATIVE_PHRASES for name in phrases_in(text, memo))


# A suggestion: "it would be great if the app had a dark mode", "the checkout would be easier with Apple Pay".
_WISH = re.compile(
    r"\bwould\s+be\s+(?:so\s+much\s+|much\s+|a\s+lot\s+)?(?:great|nice|good|helpful|awesome|lovely|useful|easier|better"
    r"|nicer|simpler)\s+(?:if|with|to)\b",
    re.I,
)


def _plain_request(text: str, evidence: str | None) -> bool:
    """A question or request that names no complaint (`evidence`: evidence_of(text)): "Is there a delay on flight 220
    today?" (VADER's "delay" -1.3), "Please cancel my gym membership from next month"."""
    return evidence != "negative" and bool(_REQUEST.search(text) or _WISH.search(text))


class VaderScorer:
    def __init__(self) -> None:
        self.analyzer = build_analyzer()
        self.analyzer.lexicon[_GRATITUDE_TOKEN] = GRATITUDE_VALENCE
        self.analyzer.lexicon[_GRATITUDE_SHORT_TOKEN] = GRATITUDE_SHORT_VALENCE
        # For text in another language only the support-phrase tokens count: VADER's English words are other
        # languages' everyday words ("die" is German's "the" and VADER's -2.9, "war" is "was"), which made
        # "Vielen Dank für die schnelle Hilfe!" negative.
        self.foreign = LinearVader()
        self.foreign.lexicon = {
            word: valence for word, valence in self.analyzer.lexicon.items() if word.startswith("zzphrase")
        }

    def score_text(self, text: str, english: bool = True, short: bool | None = None, memo: Memo | None = None) -> float:
        """`short`: the customer's whole message is short (None: judge by this text alone); `memo`: see Memo."""
        prepared = prepare(text, memo)
        if short is None:
            short = len(text.split()) <= SHORT_MESSAGE_WORDS
        # English only: in the other languages a short thank-you is read from the support phrases ("perfekt", "risolto")
        # and the thanks words alone stay at 2.0 (the language threads' dev split did not need more).
        short = short and english
        analyzer = self.analyzer if english else self.foreign
        score = float(analyzer.polarity_scores(prepared)["compound"])
        if gratitude_counts(text, memo):
            # Thanks lifts a flat message to positive; it does not make praise "very positive" (two dev threads
            # of bench/data/support_emails.jsonl went positive -> very positive when it was simply added).
            token = _GRATITUDE_SHORT_TOKEN if short else _GRATITUDE_TOKEN
            thanked = float(analyzer.polarity_scores(f"{prepared} {token}")["compound"])
            score = max(score, min(thanked, GRATITUDE_CAP))
        return score


def polarity_of(label: Label) -> str:
    return "negative" if "negative" in label else "positive" if "positive" in label else "neutral"


def weighted(scores: Sequence[tuple[float, float]]) -> float:
    total = sum(w for _, w in scores)
    return sum(s * w for s, w in scores) / total if total else 0.0


HEAD_FILE = Path(__file__).with_name("sentiment_head.json")

# Which of the head's bands a message gets. "mail": anything longer than SHORT_MESSAGE_WORDS or with a subject (the
# support threads' band, `thresholds` in the head file). A short English message without a subject (a chat line, a
# text message, a web-form note) gets a band of its own, as the rules do (SHORT_THRESHOLDS): on such messages the
# head's neutral band (-0.3..0.3) was too wide, and many short complaints and short thanks came out neutral (issue 14;
# the dev splits of the airline and Sanders tweets: 20 of 79 and 13 of 40 complaints, 11 of 35 and 27 of 40
# positives). "short_request": a question or request that names no complaint (`_plain_request`: "Can you help me
# rebook?", "Please cancel my order"), where the neutral band stays wide, because "help", "please" or "cancel" are
# its topic; "short_statement": every other short message, where it is narrow. Both bands are chosen by
# scripts/train_sentiment_head.py on dev splits only (3-class macro-F1, a 3x3-smoothed grid).
HeadBand = Literal["mail", "short_statement", "short_request"]


class LinearHead:
    """score = w . [embedding, vader] + b, trained by scripts/train_sentiment_head.py.

    VADER's score is one of the inputs, so the head learns where the embedding should overrule the
    lexicon (sarcasm, "the app deleted my notes") rather than relearning everything from a few hundred
    examples.
    """

    def __init__(self, path: Path = HEAD_FILE) -> None:
        import numpy as np

        data = json.loads(path.read_text(encoding="utf-8"))
        self.weights = np.asarray(data["weights"], dtype=np.float32)
        self.bias = float(data["bias"])
        self.thresholds: tuple[tuple[float, Label], ...] = tuple(
            (float(bound), label) for bound, label in data.get("thresholds", THRESHOLDS)
        )
        # The bands of a short English message ("short_statement", "short_request"; see HeadBand); a head file
        # without them gives every message the thresholds above.
        self.bands: dict[str, tuple[tuple[float, Label], ...]] = {
            name: tuple((float(bound), label) for bound, label in bounds)
            for name, bounds in data.get("bands", {}).items()
        }
        # The head of a short English statement without a subject (band "short_statement"; see HeadBand), when the
        # file has one: the same form, fitted on short texts only (VADER's rated tweets and Amazon sentences, our
        # short messages and the customer messages written for it, bench/data/short_customer_train.jsonl, session 13:
        # dev mean 0.785 -> 0.799; scripts/train_sentiment_head.py --short-head). The mail head was fitted mostly on
        # mail and review sentences, and on short customer tweets it read complaints as neutral (dev: 150 + 218 airline
        # tweets, 120 Sanders tweets, our 96 short messages: 3-class macro-F1 mean 0.741 -> 0.778, bands chosen for
        # each; short plain requests keep this mail head, see SentimentScorer._uses_short_head).
        short = data.get("short_head")
        self.short_weights = None if short is None else np.asarray(short["weights"], dtype=np.float32)
        self.short_bias = 0.0 if short is None else float(short["bias"])

    def predict(self, embedding: Any, vader: float, short: bool = False) -> float:
        """The head's score of one text (`short`: by the short-message head, where the file has one)."""
        import numpy as np

        features = np.concatenate([embedding, np.asarray([vader], dtype=np.float32)])
        if short and self.short_weights is not None:
            return float(features @ self.short_weights + self.short_bias)
        return float(features @ self.weights + self.bias)

    def thresholds_for(self, band: HeadBand) -> tuple[tuple[float, Label], ...]:
        return self.bands.get(band, self.thresholds)

    def label_for(self, score: float, band: HeadBand = "mail") -> Label:
        for bound, label in self.thresholds_for(band):
            if score <= bound:
                return label
        return "very positive"


class SentimentScorer:
    """Built once at start-up; `score` is pure."""

    def __init__(self, settings: TriageSettings) -> None:
        self.settings = settings
        self.vader = VaderScorer()
        self.encoder: Any = None
        self.head: LinearHead | None = None
        if settings.use_embeddings:
            self._load_head()
        self.method = "vader+embeddings" if self.head is not None else "vader"
        language.warm_up()
        log.info("triage sentiment ready: mode %s", self.method)

    def _load_head(self) -> None:
        from handoff.triage import embeddings

        encoder = embeddings.load_encoder(self.settings.embeddings_precision)
        if encoder is None:
            return
        if not HEAD_FILE.is_file():
            log.warning("sentiment head %s missing; using VADER only", HEAD_FILE.name)
            return
        self.encoder = encoder
        self.head = LinearHead()

    def score_text(self, text: str, english: bool = True, head: bool = True) -> float:
        """One piece of text on [-1, 1], by the best scorer available (`head`: the embedding head may be used)."""
        return self._scores(text, english, head)[0]

    def _scores(
        self,
        text: str,
        english: bool,
        head: bool,
        short: bool | None = None,
        memo: Memo | None = None,
        short_head: bool = False,
    ) -> tuple[float, float]:
        """(the best scorer's score, VADER's score) of `text` (`short`, `memo`: see VaderScorer.score_text;
        `short_head`: by the short-message head, see _uses_short_head)."""
        vader = self.vader.score_text(text, english, short, memo)
        if self.head is None or not english or not head:
            # all-MiniLM-L6-v2 was trained on English: on other languages its vector says little about mood, and the
            # head, trained on English text, turned the phrase-token score of "Grazie mille!" back into neutral.
            return vader, vader
        # The short head's score is read on float32 vectors: the int8 error bound (minilm_int8_ranges.json) was
        # measured for the mail head's weights, not for these, and a short message is one short forward.
        return self._head_score(text, vader, exact=short_head, short_head=short_head), vader

    def _head_score(self, text: str, vader: float, exact: bool = False, short_head: bool = False) -> float:
        """The embedding head's score of one piece of text, given VADER's (`exact`: on float32's vectors;
        `short_head`: by the short-message head)."""
        assert self.head is not None
        return max(-1.0, min(1.0, self.head.predict(self.encoder.encode([text], exact)[0], vader, short_head)))

    def _uses_short_head(self, band: HeadBand) -> bool:
        """Whether a message in `band` is scored by the head file's short-message head (see LinearHead): a short
        statement. A short plain request keeps the mail head, whose wide-band reading of "cancel", "delay" or "help"
        as the topic the request band was made for; on the dev tweets the short head there did worse (3-class
        macro-F1 mean of the four dev sets 0.778 with it, 0.785 without)."""
        return band == "short_statement" and self.head is not None and self.head.short_weights is not None

    def label_for(self, score: float, band: HeadBand = "mail") -> Label:
        return self.head.label_for(score, band) if self.head is not None else label_for(score)

    def _head_label(self, score: float, vader: float, evidence: str | None = None, band: HeadBand = "mail") -> Label:
        """The head decides the polarity, VADER how strong it is. The head is a regression fitted mostly on short
        messages and review sentences, whose targets are mild: it tells negative from neutral from positive better
        than VADER (short messages) but squeezes "very" together with plain, and on the support threads its 5-level
        macro-F1 fell below VADER's (held-out 0.674 -> 0.584). VADER's intensity follows what makes a mail "very"
        (capitals, "!!!", boosters, the escalation phrases). Out-of-fold on the dev split (scripts/
        train_sentiment_head.py --dry-run): threads 5-level macro-F1 head 0.668, VADER 0.694, this 0.714; the 3
        polarities are the head's, so the short messages' 3-class figures do not change."""
        own = self.label_for(score, band)
        lexicon = label_for(vader)
        if own == "neutral":
            # The head's neutral band is wide on its squeezed scale: on real customer tweets (dev split of
            # bench/data/airline_tweets_sample.jsonl) most complaints it missed sat at -0.2..-0.3 while the support
            # rules had read them as negative ("on hold for over an hour"). So in a short message that names a
            # complaint (or thanks) in so many words (`evidence`, given only for short messages), when the rules are
            # past their own band that way and the head leans that way too, that polarity stands. Not on the rules'
            # score alone: neutral requests with a mild word ("How do I cancel my plan?") sit there too, and not in
            # longer mail, where VADER's compound saturates (THRESHOLDS) and the head is the better reader (support
            # threads, dev: polarity accuracy 0.908 -> 0.891 when this applied to every mail on the score alone).
            lean = polarity_of(lexicon)
            if evidence == lean and (score < 0) == (lean == "negative") and score != 0:
                return "negative" if lean == "negative" else "positive"
            return own
        if polarity_of(lexicon) == polarity_of(own):
            return lexicon
        return "negative" if polarity_of(own) == "negative" else "positive"

    def _settled(self, value: float, vader: float, evidence: str | None, error: float, band: HeadBand = "mail") -> bool:
        """Whether every head value within `error` of `value` gets the same label, and the same side of every
        priority rule's sentiment_at_most (a decision on the score as reported, rounded to 4 places). The label is
        constant between the head's thresholds and 0 (the sign `_head_label` reads), so one value in each piece is
        enough."""
        assert self.head is not None
        low, high = max(-1.0, value - error), min(1.0, value + error)
        for rule in self.settings.priority_rules:
            if rule.sentiment_at_most is not None and (round(low, 4) <= rule.sentiment_at_most) != (
                round(high, 4) <= rule.sentiment_at_most
            ):
                return False
        probes = [low, high]
        for bound in [b for b, _ in self.head.thresholds_for(band)] + [0.0]:
            if low <= bound <= high:
                probes += [bound, math.nextafter(bound, math.inf)]
        return len({self._head_label(v, vader, evidence, band) for v in probes}) == 1

    def _reread(
        self,
        parts: list[str],
        texts: list[CustomerText],
        scored: list[tuple[float, float]],
        vader: float,
        evidence: str | None,
        error: float,
        band: HeadBand = "mail",
    ) -> float:
        """The weighted head value with parts scored again on float32 vectors, the heaviest first (the first
        message, twice a later one's weight), then the rest in one forward. The value is a weighted mean, so the
        parts still on int8 vectors can move it by at most `error` x their share of the weight: where that cannot
        change the decision, the others are not read again (the 1,000 bench threads: each of the 40 re-reads, 37 of
        them of 3 parts, stopped after the first)."""
        assert self.head is not None
        heads = [s for s, _ in scored]
        total = sum(t.weight for t in texts)
        order = sorted(range(len(parts)), key=lambda i: -texts[i].weight)
        unread = total
        value = 0.0
        for group in (order[:1], order[1:]):
            if not group:
                break
            for i, vector in zip(group, self.encoder.encode([parts[i] for i in group], exact=True), strict=True):
                heads[i] = max(-1.0, min(1.0, self.head.predict(vector, scored[i][1])))
            unread -= sum(texts[i].weight for i in group)
            value = max(-1.0, min(1.0, weighted([(h, t.weight) for h, t in zip(heads, texts, strict=True)])))
            if unread <= 0 or self._settled(value, vader, evidence, error * unread / total, band):
                break
        return value

    def score(self, messages: Sequence[ThreadMessage], customer: Customer | None) -> Sentiment:
        texts = [t for t in customer_texts(messages, customer) if t.text]
        if not texts:
            # Nothing the customer wrote survived cleaning: say so rather than inventing a mood.
            return Sentiment(label="neutral", score=0.0, confidence="low", method=self.method)
        # The first subject is the customer's headline ("Still no refund!!"); later ones only repeat it.
        parts = with_headline(texts)
        joined = "\n".join(t.text for t in texts)
        lang, probability = language.detect(joined)
        english = language.is_english(lang, probability)
        # The head only where langid's best guess is English (or the text is too short to guess): a short
        # "Muchas gracias, ya está solucionado." is not surely Spanish (p < 0.9), so VADER reads it with its English
        # lexicon plus the phrases, but it is no text for an English-trained head.
        head = english and lang in (None, "en")
        # Short, and English by langid's best guess (as for the head): a short Spanish thank-you that langid is not
        # sure of is read with the English lexicon, but the thanks lift is for English wording.
        short = head and sum(len(t.text.split()) for t in texts) <= SHORT_MESSAGE_WORDS
        # The narrow short-message bands (SHORT_THRESHOLDS, rules only) read one mild word as a mood; in a
        # question or request that names no complaint that word is the topic ("Is there a delay on flight 220?",
        # "Please cancel my gym membership"), so such a message keeps the wide bands.
        memo: Memo = {}
        evidence = evidence_of(joined, memo) if short else None
        narrow = short and not _plain_request(joined, evidence)
        # A subject makes it mail, whatever its length: on the support threads (dev, every one with a subject) the
        # short bands took polarity accuracy from 0.921 to 0.895 (a headline with a body of a few words is not a
        # tweet), so they are for what comes without one: a chat line, a text message, a web-form note.
        band: HeadBand = "mail" if not short or texts[0].subject else "short_statement" if narrow else "short_request"
        short_head = head and self._uses_short_head(band)
        scored = [self._scores(p, english, head, short, memo, short_head) for p in parts]
        value = max(-1.0, min(1.0, weighted([(s, t.weight) for (s, _), t in zip(scored, texts, strict=True)])))
        vader = max(-1.0, min(1.0, weighted([(v, t.weight) for (_, v), t in zip(scored, texts, strict=True)])))
        # An int8 encoder's head scores are each within `error` of float32's, so the weighted value is too: where
        # no value that near gives another label, the int8 label is float32's; otherwise parts are scored again on
        # float32 vectors (VADER's scores stand: they do not depend on the vectors). The short head read float32's
        # vectors already.
        error = (
            self.encoder.error.get("sentiment_head", 0.0) if head and self.head is not None and not short_head else 0.0
        )
        if error and not self._settled(value, vader, evidence, error, band):
            value = self._reread(parts, texts, scored, vader, evidence, error, band)
        return Sentiment(
            # Text the head did not score is on VADER's scale and gets VADER's thresholds.
            label=(
                self._head_label(value, vader, evidence, band)
                if head and self.head is not None
                else label_for(value, narrow)
            ),
            score=round(value, 4),
            # Both scorers only understand English: elsewhere the number is a guess, and we say so.
            confidence="high" if english else "low",
            # An unsure non-English guess is reported as unknown, not as English.
            language=lang if lang == "en" or not english else None,
            method=self.method,
        )
