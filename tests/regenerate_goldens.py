"""Regenerate the golden results of the mail fixtures (Zammad's `regenerate_all_ymls`, for handoff).

    python -m tests.regenerate_goldens              # rewrite every <name>.expected.json
    python -m tests.regenerate_goldens gmail_*      # only these (shell-style patterns)
    python -m tests.regenerate_goldens --show NAME  # print the result, write nothing
    python -m tests.regenerate_goldens --check      # exit 1 when a golden differs (what the test does)

A golden is a statement of what handoff should understand from that mail: read the diff of every
regenerated file before committing it. The settings used are fixed below, so goldens do not depend
on a local config: agents are @acme-support.com, handoff itself is cases@handoff.localhost.
Envelope facts that are not in the mail (a null reverse path) come from `envelopes.json`.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import sys
from pathlib import Path
from typing import Any

from handoff.guards import build_guards, run_guards
from handoff.parse.customer import Internal, explain_customer
from handoff.parse.mime import parse_mail
from handoff.parse.thread import split_thread
from handoff.settings import GuardSettings

FIXTURES = Path(__file__).parent / "fixtures" / "mail"
INTERNAL_DOMAINS = ["acme-support.com"]
INTERNAL_ADDRESSES = ["cases@handoff.localhost"]
OWN_DOMAINS = ["handoff.localhost"]


def _envelopes() -> dict[str, dict[str, Any]]:
    path = FIXTURES / "envelopes.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def understand(name: str) -> dict[str, Any]:
    """What handoff makes of fixture `name`: the content of its golden file."""
    raw = (FIXTURES / f"{name}.eml").read_bytes()
    envelope = _envelopes().get(name, {})
    mail = parse_mail(raw, envelope_from=envelope.get("from"), envelope_to=envelope.get("to", ()))
    messages = split_thread(mail)
    result = explain_customer(mail, messages, Internal(INTERNAL_DOMAINS, INTERNAL_ADDRESSES))
    guards = build_guards(GuardSettings(), own_domains=OWN_DOMAINS)
    skipped = run_guards(guards, mail, result.messages, result.customer)
    return {
        "messages": [
            {
                "from_name": m.from_name,
                "from_email": m.from_email,
                "sent_at": m.sent_at.isoformat() if m.sent_at else None,
                "subject": m.subject,
                "source": m.source,
                "internal": m.internal,
                "body": m.body,
                "signature": m.signature,
            }
            for m in result.messages
        ],
        "customer": result.customer.model_dump() if result.customer else None,
        "customer_not_found": result.reason,
        "skipped": skipped.model_dump() if skipped else None,
    }


def names(patterns: list[str] | None = None) -> list[str]:
    found = sorted(p.stem for p in FIXTURES.glob("*.eml"))
    if not patterns:
        return found
    return [n for n in found if any(fnmatch.fnmatch(n, p) for p in patterns)]


def dump(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("patterns", nargs="*", help="fixture names or shell patterns (default: all)")
    parser.add_argument("--show", action="store_true", help="print results instead of writing")
    parser.add_argument("--check", action="store_true", help="exit 1 if any golden differs")
    args = parser.parse_args(argv)
    differing = []
    for name in names(args.patterns):
        text = dump(understand(name))
        golden = FIXTURES / f"{name}.expected.json"
        if args.show:
            print(f"== {name}\n{text}")
        elif args.check:
            if not golden.exists() or golden.read_text(encoding="utf-8") != text:
                differing.append(name)
        else:
            if not golden.exists() or golden.read_text(encoding="utf-8") != text:
                golden.write_text(text, encoding="utf-8")
                print(f"wrote {golden.name}")
    if differing:
        print("goldens differ: " + ", ".join(differing))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
