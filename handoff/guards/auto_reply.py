"""Out-of-office and other machine-written replies."""

from __future__ import annotations

import re
from collections.abc import Sequence

from handoff.guards.base import hit, judged, strip_prefixes
from handoff.model import Customer, GuardHit, ParsedMail, ThreadMessage

# Subjects clients give automatic replies, in the languages handoff meets, matched at the start after
# Re:/Fwd: prefixes. A person rarely starts a subject with these words; a missed OOO is a junk case.
_SUBJECTS = re.compile(
    r"^(?:automatic reply|auto(?:matic)?[- ]?(?:reply|response)|autoreply|auto:|out of (?:the )?office|"
    r"abwesenheitsnotiz|automatische antwort|réponse automatique|absence du bureau|"
    r"respuesta automática|fuera de la oficina|risposta automatica|fuori (?:sede|ufficio)|"
    r"automatisch antwoord|resposta automática|fora do escritório|"
    r"automatyczna odpowiedź|poza biurem|automatiskt svar|autosvar|automatisk svar|ikke på kontoret|"
    # Single words only count as the "Word: original subject" prefix clients write ("Absent items").
    r"(?:ooo|abwesend|absent|ausente|afwezig|nieobecność|frånvaro|fraværende)\s*:)",
    re.IGNORECASE,
)


class AutoReply:
    """Skip out-of-office replies and other machine-written mail."""

    name = "auto-reply"
    description = (
        "Auto-Submitted (other than 'no'), X-Autoreply/X-Autorespond, Precedence bulk/junk (or list "
        "without List-Id), Exchange's X-Auto-Response-Suppress with X-MS-Exchange-Inbox-Rules-Loop, or an "
        "'Automatic reply'/'Out of Office'/'Abwesenheitsnotiz' subject; judged on the customer's own "
        "message when the mail forwards one."
    )

    def check(self, mail: ParsedMail, messages: Sequence[ThreadMessage], customer: Customer | None) -> GuardHit | None:
        target = judged(mail, messages, customer)
        where = "the forwarded customer message" if target.inner else "the mail"
        for value in target.header_all("auto-submitted"):
            token = value.split(";", 1)[0].strip().lower()
            if token and token != "no":
                return hit(self, f"{where} has Auto-Submitted: {token}")
        for name in ("x-autoreply", "x-autorespond", "x-autoresponder"):
            value = target.header(name)
            if value is not None and value.strip().lower() not in ("no", "false", "0"):
                return hit(self, f"{where} has {name.title()}")
        precedence = (target.header("precedence") or "").strip().lower()
        if precedence in ("bulk", "junk", "auto_reply"):
            return hit(self, f"{where} has Precedence: {precedence}")
        if precedence == "list" and target.header("list-id") is None:
            # With a List-Id it is list mail, which the list guard decides (it may be allowed).
            return hit(self, f"{where} has Precedence: list without a List-Id")
        suppress = (target.header("x-auto-response-suppress") or "").lower()
        if suppress and target.header("x-ms-exchange-inbox-rules-loop") is not None:
            return hit(self, f"{where} is an Exchange automatic reply (X-Auto-Response-Suppress with Inbox-Rules-Loop)")
        subject = strip_prefixes(target.subject)
        if _SUBJECTS.match(subject):
            return hit(self, f"{where} has an automatic-reply subject: {subject[:80]!r}")
        return None
