"""SquirrelMail 1.4's reply citations and forward header (tuned_v13, session 13, helper h2): the Polish long date puts
the weekday after the time ("j F Y, g:i a, D"), so it is no part of the sender; the Danish 12-hour date is day/month
with the year after a space ("l, j/n Y, h:i"), read day first; the Hungarian 'author_said' citation is "%s ezt írta:";
the forward header ends with a line of dashes, which is no text of the forwarded message. Strings from SquirrelMail's
src/compose.php, functions/date.php and its locales' squirrelmail.po (bench/data/threads/v13_build/strings.json); the
names, addresses and words here are ours."""

from __future__ import annotations

import pytest

from tests.forwards import quoted_messages


def quoted(text: str) -> list[tuple[str | None, str | None, str | None, str]]:
    """(address, name, wall-clock time, text) of every quoted message, oldest first (the outer mail left out)."""
    # SquirrelMail prints no zone: the wall clock is what the citation says.
    return [
        (m.from_email, m.from_name, m.sent_at.isoformat()[:16] if m.sent_at else None, m.body)
        for m in quoted_messages(text)
    ]


# getReplyCitation 'date_time_author': _("On %s, %s wrote:") = pl "Dnia %s, %s napisał(a):", getLongDateString with
# pl_PL's "j F Y, g:i a, D" (12-hour, the default) or "j F Y, H:i, D" (24-hour) and its day names (N, Pn, Wt, Śr, Cz,
# Pt, So); the sender is the display name alone, or the address when there is none.
@pytest.mark.parametrize(
    ("citation", "sender", "sent_at"),
    [
        (
            "Dnia 8 Marca 2022, 2:05 pm, Wt, Joanna Zielińska napisał(a):",
            (None, "Joanna Zielińska"),
            "2022-03-08T14:05",
        ),
        (
            "Dnia 23 Listopada 2022, 19:30, Śr, Joanna Zielińska napisał(a):",
            (None, "Joanna Zielińska"),
            "2022-11-23T19:30",
        ),
        (
            "Dnia 1 Czerwca 2022, 10:12 am, Śr, j.zielinska@poczta.example napisał(a):",
            ("j.zielinska@poczta.example", None),
            "2022-06-01T10:12",
        ),
        ("Dnia 6 Marca 2022, 9:15 am, N, Joanna Zielińska napisał(a):", (None, "Joanna Zielińska"), "2022-03-06T09:15"),
    ],
    ids=["pl_12h", "pl_24h", "pl_bare_address", "pl_sunday_one_letter"],
)
def test_polish_weekday_after_the_time_is_not_the_sender(
    citation: str, sender: tuple[str | None, str | None], sent_at: str
) -> None:
    messages = quoted(f"Dziękujemy.\n\n{citation}\n> Kurier zgubił moją paczkę 5150.\n")
    assert messages == [(*sender, sent_at, "Kurier zgubił moją paczkę 5150.")]


def test_polish_chain_credits_both_senders() -> None:
    text = (
        "Nadal nic nie dotarło.\n\nDnia 1 Czerwca 2022, 10:12 am, Śr, Obsługa Sklepu napisał(a):\n"
        "> Paczka jest w drodze.\n>\n> Dnia 8 Marca 2022, 2:05 pm, Wt, Joanna Zielińska napisał(a):\n"
        ">> Kurier zgubił moją paczkę 5150.\n"
    )
    assert quoted(text) == [
        (None, "Joanna Zielińska", "2022-03-08T14:05", "Kurier zgubił moją paczkę 5150."),
        (None, "Obsługa Sklepu", "2022-06-01T10:12", "Paczka jest w drodze."),
    ]


# da_DK's 12-hour long date "l, j/n Y, h:i" (no am/pm): day/month, then the year after a space.
@pytest.mark.parametrize(
    ("citation", "sent_at"),
    [
        ("Den Onsdag, 9/3 2022, 08:47, Karen Holm skrev:", "2022-03-09T08:47"),
        ("Den Onsdag, 1/6 2022, 10:12, Karen Holm skrev:", "2022-06-01T10:12"),
        ("Den Fredag, 2/12 2022, 11:40, Karen Holm skrev:", "2022-12-02T11:40"),
    ],
    ids=["9_march", "1_june", "2_december"],
)
def test_danish_day_month_year_after_a_space_is_day_first(citation: str, sent_at: str) -> None:
    messages = quoted(f"Tak.\n\n{citation}\n> Min ordre 5150 er ikke kommet.\n")
    assert messages == [(None, "Karen Holm", sent_at, "Min ordre 5150 er ikke kommet.")]


def test_hungarian_author_said_citation_names_the_sender() -> None:
    # 'author_said': _("%s wrote:") = hu "%s ezt írta:", no date.
    messages = quoted("Köszönjük.\n\nSzabó Anna ezt írta:\n> A 5150-es rendelésem nem érkezett meg.\n")
    assert messages == [(None, "Szabó Anna", None, "A 5150-es rendelésem nem érkezett meg.")]


def test_hungarian_ezt_irta_in_a_sentence_is_no_citation() -> None:
    # Not above a quote, an undated "Name ezt írta:" is a line of the customer's text.
    assert quoted("Szabó Anna ezt írta:\nkérem, nézzék meg a rendelést.\n") == []


# getforwardHeader: a centred _("Original Message") banner 74 wide, Subject/From/Date/To(/Cc) lines padded to the
# longest label, a line of 74 dashes, a blank line, the forwarded text unquoted.
@pytest.mark.parametrize(
    ("banner", "labels", "date", "sent_at"),
    [
        (
            "------------------------ Ursprüngliche Nachricht -------------------------",
            ("Betreff: ", "Von:     ", "Datum:   ", "An:      ", "Cc:      "),
            "Mi, 23.11.2022, 19:30",
            "2022-11-23T19:30",
        ),
        (
            "--------------------------- Original Message ----------------------------",
            ("Subject: ", "From:    ", "Date:    ", "To:      ", "Cc:      "),
            "Tue, March 8, 2022 2:05 pm",
            "2022-03-08T14:05",
        ),
        (
            # da_DK's banner has a hyphen in its title ("Oprindelig e-mail") and its labels pad to "Emne"/"Dato".
            "--------------------------- Oprindelig e-mail ----------------------------",
            ("Emne: ", "Fra:  ", "Dato: ", "Til:  ", "Cc:   "),
            "Onsdag, 9/3 2022, 08:47",
            "2022-03-09T08:47",
        ),
    ],
    ids=["de", "en", "da"],
)
def test_forward_header_closing_dashes_are_not_the_text(
    banner: str, labels: tuple[str, ...], date: str, sent_at: str
) -> None:
    subject, sender, when, to, cc = labels
    text = (
        f'Bitte ansehen.\n\n{banner}\n{subject}5150\n{sender}"Karl Brandt" <k.brandt@post.example>\n{when}{date}\n'
        f'{to}"Shop Team" <team@shop.example>\n{cc}returns@shop.example\n{"-" * 74}\n\nDer Karton war leer.\n'
    )
    assert quoted(text) == [("k.brandt@post.example", "Karl Brandt", sent_at, "Der Karton war leer.")]


def test_forward_to_two_recipients_keeps_the_text() -> None:
    text = (
        "Please have a look.\n\n--------------------------- Original Message ----------------------------\n"
        "Subject: 5150\nFrom:    k.brandt@post.example\nDate:    Wed, March 9, 2022 8:47 am\n"
        'To:      "Shop Team" <team@shop.example>\n         sales@shop.example\n'
        + "-" * 74
        + "\n\nThe box was empty.\n"
    )
    assert quoted(text) == [("k.brandt@post.example", None, "2022-03-09T08:47", "The box was empty.")]


def test_dashes_inside_the_forwarded_text_stay() -> None:
    # Only the line right after the header block is SquirrelMail's closing line; a dashed line further down is text.
    text = (
        "Please have a look.\n\n--------------------------- Original Message ----------------------------\n"
        "Subject: 5150\nFrom:    k.brandt@post.example\nDate:    Wed, March 9, 2022 8:47 am\n"
        "To:      team@shop.example\n" + "-" * 74 + "\n\nThe box was empty.\n" + "-" * 20 + "\nKarl\n"
    )
    assert quoted(text)[0][3] == "The box was empty.\n" + "-" * 20 + "\nKarl"


def test_squirrelmail_patterns_finish_on_hostile_input() -> None:
    from handoff.parse.dates import numeric_parts
    from handoff.parse.patterns import _DASHED, _PL_WEEKDAY_AFTER_TIME, attribution, separator
    from handoff.parse.thread import split_text
    from tests.test_hostile_input import rep, run_bounded

    def work() -> str:
        for make in (rep("1/1 "), rep("1/", tail=" 2022"), rep("9/3 2022, "), rep(", Wt")):
            numeric_parts(make())
        for make in (rep("a-"), rep("-a"), rep("a-b "), rep("--- a-b ")):
            _DASHED.match(make())
            separator(make()[:90])
        for make in (rep(", wt"), rep(" , "), rep(",Śr,")):
            _PL_WEEKDAY_AFTER_TIME.match(make())
        attribution(rep("Dnia 8 Marca 2022, 2:05 pm, Wt, ", tail="A napisał(a):", size=300)(), above_quote=True)
        split_text(rep("---- Original Message ----\nSubject: a\nFrom: a@b.example\n" + "-" * 74 + "\n")())
        split_text(rep("Ezt írta:\n> a\n")())
        return "done"

    assert run_bounded({"squirrelmail": work}, limit=20.0)["squirrelmail"] == ("ok", "done")
