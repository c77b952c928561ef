"""A customer's text that starts with Proton Mail's full date and has a line ending in "wrote:" (tuned_v15, session 13,
helper h7): "On Tuesday, March 8th, 2022 at 2:05 PM I ordered a blender, and my neighbour wrote:" reads like Proton's
reply line (`On ${date}, ${senderString} wrote:`, ProtonMail/WebClients plaintext.ts), but no quote follows it and its
"sender" is a sentence ("I ordered a blender, and my neighbour"), not a name or an address: no message starts there and
the text stays whole. An attribution over unquoted text that names a sender (a name of at most five words, or any
address) is still read, and a quote below is read as before."""

from __future__ import annotations

import pytest

from tests.forwards import quoted_messages


def quoted(text: str) -> list[tuple[str | None, str | None, str]]:
    """(address or name, wall-clock time, text) of every quoted message, oldest first (the outer mail left out)."""
    return [
        (m.from_email or m.from_name, m.sent_at.isoformat()[:16] if m.sent_at else None, m.body)
        for m in quoted_messages(text)
    ]


PROTON_DATE = "Tuesday, March 8th, 2022 at 2:05 PM"  # date-fns 'PPPPp', en-US (bench/data/threads/v15_build)


@pytest.mark.parametrize(
    "line",
    [
        f"On {PROTON_DATE} I ordered a blender, and my neighbour wrote:",
        f"On {PROTON_DATE}, I ordered a blender and then my neighbour wrote:",
        "On Tue, 8 Mar 2022 at 14:05, the courier who brought the parcel wrote:",
        "Am 08.03.2022 um 14:05 hat mir der Fahrer, der das Paket brachte, geschrieben:",
    ],
    ids=["proton_date_comma_and", "proton_date_many_words", "gmail_date_many_words", "de_comma_lowercase"],
)
def test_a_sentence_ending_in_wrote_over_unquoted_text_is_no_attribution(line: str) -> None:
    assert quoted(f"{line}\nthe same jug cracked for her.\nCan you check the batch?\n") == []


# -- guards: real attributions are still read ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "sender"),
    [
        ("On Tue, 8 Mar 2022 at 14:05, Rachel Moore wrote:", "Rachel Moore"),
        (f"On {PROTON_DATE}, Rachel Moore <rachel.moore@post.example> wrote:", "rachel.moore@post.example"),
        (
            f"On {PROTON_DATE}, Moore, Rachel <rachel.moore@post.example> wrote:",
            "rachel.moore@post.example",
        ),
    ],
    ids=["name_over_unquoted", "proton_address_over_unquoted", "proton_comma_name_over_unquoted"],
)
def test_an_attribution_naming_a_sender_over_unquoted_text_is_still_read(line: str, sender: str) -> None:
    messages = quoted(f"Sorry about that.\n\n{line}\nThe blender from order 4418 arrived with a cracked jug.\n")
    assert [(who, body) for who, _, body in messages] == [
        (sender, "The blender from order 4418 arrived with a cracked jug.")
    ]


def test_a_long_sender_phrase_above_a_quote_is_still_read() -> None:
    text = (
        "We are sorry.\n\n"
        f"On {PROTON_DATE}, Customer Care Team of the Shop <care@shop.example> wrote:\n\n"
        "> The blender from order 4418 arrived with a cracked jug.\n"
    )
    assert quoted(text) == [
        ("care@shop.example", "2022-03-08T14:05", "The blender from order 4418 arrived with a cracked jug.")
    ]
