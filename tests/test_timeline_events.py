"""Events where statements were made, and which claims were made there."""

from __future__ import annotations

from narrascope.timeline.events import assign_events, find_events
from tests.helpers import make_claim

BODY = ("The minister said on Monday that the border is safe. His words came during a Northern Alliance "
        "foreign ministers' meeting in Tallinn, Estonia. \"We are ready,\" he added.\n\n"
        "Speaking at the third Baltic Conference on Maritime Security, the admiral said ships are at risk. "
        "At the same conference, an analyst disagreed. Officials met during the meeting yesterday.")


def test_timeline_events_named_with_their_place() -> None:
    events = find_events(BODY)
    assert [e.text for e in events] == [
        "a Northern Alliance foreign ministers' meeting in Tallinn",
        "the third Baltic Conference on Maritime Security",
        "the third Baltic Conference on Maritime Security",
    ]
    assert all(BODY[e.start:e.end] == e.text for e in events[:2])


def test_timeline_events_assigned_to_nearest_speaker_and_their_claims() -> None:
    events = find_events(BODY)
    minister_first = make_claim("a", 1, "the border is safe", "Ana Berg")
    minister_second = make_claim("a", 2, "We are ready", "Ana Berg")
    admiral = make_claim("a", 3, "ships are at risk", "Ola Holm")
    positions = {1: BODY.index("the border"), 2: BODY.index("We are"), 3: BODY.index("ships")}
    claims = [c.__class__(**{**c.__dict__, "start": positions[n], "end": positions[n] + len(c.text)})
              for n, c in zip((1, 2, 3), (minister_first, minister_second, admiral), strict=True)]
    placed = assign_events(claims, events)
    assert placed[claims[0].id].text.startswith("a Northern Alliance")
    assert placed[claims[1].id].text.startswith("a Northern Alliance")
    assert placed[claims[2].id].text.startswith("the third Baltic")
