"""The incident description, rendered with jinja2 from the shipped templates (or [render] templates_dir) and fitted
to Dataverse's limit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import jinja2

from handoff.model import Handoff

# Inside the package, so an installed wheel finds them from any directory: in a source tree handoff/templates is
# a symlink to the top-level templates/, their source; a built wheel holds a copy ([render] templates_dir overrides).
DEFAULT_TEMPLATES = Path(__file__).parent / "templates"
DESCRIPTION_TEMPLATE = "description.txt.j2"
TRANSCRIPT_FILENAME = "transcript.txt"
# The whole transcript goes to the case as a note when the description is cut, so the marker says where.
CUT_MARKER = f"\n[… full transcript attached as {TRANSCRIPT_FILENAME}]"


def _when(value: datetime | None) -> str:
    # Keep the sender's own offset: "09:31 +02:00" tells a rep the customer's local time too.
    return value.strftime("%Y-%m-%d %H:%M %z").replace("  ", " ").strip() if value else "date unknown"


class Renderer:
    def __init__(self, templates_dir: str | Path | None = None, limit: int = 2000) -> None:
        from handoff.errors import ConfigError

        directory = Path(templates_dir) if templates_dir else DEFAULT_TEMPLATES
        if not (directory / DESCRIPTION_TEMPLATE).is_file():
            raise ConfigError(f"[render] templates_dir: {directory} has no {DESCRIPTION_TEMPLATE}")
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(directory),
            autoescape=False,  # plain text for Dataverse's description column, not HTML
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=False,
        )
        self.env.filters["when"] = _when
        self.limit = limit
        # Compiled once, at start-up like the rest of the settings: `get_template` per mail looked the file's mtime
        # up every time (jinja2's auto_reload), and a template that does not compile stopped every mail instead of
        # the start.
        try:
            self.template = self.env.get_template(DESCRIPTION_TEMPLATE)
        except jinja2.TemplateSyntaxError as exc:
            raise ConfigError(
                f"[render] templates_dir: {directory / DESCRIPTION_TEMPLATE} line {exc.lineno}: {exc.message}"
            ) from None

    def transcript(self, handoff: Handoff, attached: Sequence[str] = (), not_attached: Sequence[str] = ()) -> str:
        """The whole conversation; `attached` names the files that became notes, `not_attached` gives
        one line per file left out with the reason (listed in the header, so a cut never hides them)."""
        return self.template.render(
            classification=handoff.classification,
            sentiment=handoff.sentiment,
            customer=handoff.customer,
            messages=handoff.messages,
            subject=handoff.subject,
            attached=list(attached),
            not_attached=list(not_attached),
        ).strip()

    def fit(self, text: str) -> tuple[str, bool]:
        """Cut to the column limit with a visible marker; returns (description, truncated).

        The start is kept: the template puts the header (channel, classification, sentiment, files)
        first, and the full text goes to the case as transcript.txt.
        """
        if len(text) <= self.limit:
            return text, False
        head = text[: self.limit - len(CUT_MARKER)].rstrip()
        return head + CUT_MARKER, True
