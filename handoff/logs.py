"""Log output for `[log]`: text lines for people or one JSON object a line for a log shipper.

Every line about one handoff starts with `spool=<id>` and, once the mail is read, `msgid=<Message-ID>`
(the worker's outcome lines, intake's "queued" line); the JSON form lifts both into fields, so a shipper
can follow one handoff without parsing messages. What a line says is the same in both forms: nothing
here adds a body, an attachment, a token or a secret, and the loggers that could (aiosmtpd's mail.log,
msal) are held at INFO by handoff.cli.configure_logging whatever the level.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from typing import Any

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
_TAG = re.compile(r"^spool=(\d+|None)(?: event=\S+)?(?: msgid=(\S+))?")


class JsonFormatter(logging.Formatter):
    """{"time", "level", "logger", "message", "spool"?, "msgid"?, "exception"?} on one line."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        out: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": message,
        }
        tag = _TAG.match(message)
        if tag and tag.group(1) != "None":
            out["spool"] = int(tag.group(1))
        if tag and tag.group(2) and tag.group(2) != "None":
            out["msgid"] = tag.group(2)
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


class StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is now (a test's capture, a redirected stream), not the one at start."""

    def __init__(self) -> None:
        super().__init__()

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


HANDLER = StderrHandler()


def formatter(kind: str) -> logging.Formatter:
    return JsonFormatter() if kind == "json" else logging.Formatter(TEXT_FORMAT)
