"""What dev.py and heldout.py share: how a case, a message and a quote are written, and how the file is saved."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

SEEN_LIST = "as quoted in public mailing-list archives (vger.kernel.org lists), our own names and words"


def case_writer(cases: list[dict[str, Any]], prefix: str) -> Callable[..., None]:
    """`case(name, source, text, expected, kind=...)` appending to `cases`, its name under `prefix/`."""

    def case(name: str, source: str, text: str, expected: list[dict[str, Any]], kind: str = "reply-or-forward") -> None:
        cases.append({"name": f"{prefix}/{name}", "kind": kind, "source": source, "text": text, "expected": expected})

    return case


def msg(who: str, when: str | None, starts: str, name: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"from_email": who, "starts": starts}
    if name is not None:
        out = {"from_email": "", "from_name": name, "starts": starts}
    if when:
        out["sent_at"] = when
    return out


def quote(text: str, depth: int = 1) -> str:
    return "\n".join((">" * depth + " " + line).rstrip() if line else ">" * depth for line in text.split("\n"))


def save(out: str, data: dict[str, Any]) -> None:
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
