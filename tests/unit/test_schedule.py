"""The day-part vocabulary shared by listings, volunteer profiles and matching."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from portal.domain.catalogue import schedule


def test_slots_cover_every_day_part_of_the_week():
    assert len(schedule.SLOTS) == 21
    assert schedule.SLOTS[:3] == ("mon-morning", "mon-afternoon", "mon-evening")
    assert schedule.SLOTS[-1] == "sun-evening"


@pytest.mark.parametrize(
    ("slot", "dutch", "english"),
    [
        ("tue-morning", "dinsdagochtend", "Tuesday morning"),
        ("sat-afternoon", "zaterdagmiddag", "Saturday afternoon"),
        ("sun-evening", "zondagavond", "Sunday evening"),
    ],
)
def test_slot_label_names_the_day_part(slot, dutch, english):
    assert schedule.slot_label(slot) == dutch
    assert schedule.slot_label(slot, "en") == english


def test_slot_label_leaves_unknown_values_alone():
    assert schedule.slot_label("someday") == "someday"


def test_slot_choices_are_in_week_order_with_dutch_labels():
    choices = schedule.slot_choices()
    assert choices[0] == ("mon-morning", "maandagochtend")
    assert [value for value, _ in choices] == list(schedule.SLOTS)


def test_clean_drops_unknown_and_duplicate_slots_and_sorts_by_week():
    assert schedule.clean(["sat-evening", "bogus", "mon-morning", "sat-evening"]) == (
        "mon-morning",
        "sat-evening",
    )
    assert schedule.clean(None) == ()


def test_overlap_keeps_shared_slots_in_week_order():
    mine = ["sat-afternoon", "tue-morning", "wed-evening"]
    yours = ["tue-morning", "sat-afternoon", "sun-morning"]
    assert schedule.overlap(mine, yours) == ("tue-morning", "sat-afternoon")
    assert schedule.overlap(mine, ["mon-morning"]) == ()
    assert schedule.overlap(None, yours) == ()


@pytest.mark.parametrize(
    ("hour", "part"), [(0, "morning"), (11, "morning"), (12, "afternoon"), (18, "evening")]
)
def test_part_of_a_moment(hour, part):
    assert schedule.part_of(datetime(2025, 3, 4, hour, 30)) == part  # noqa: DTZ001


def test_slot_of_a_moment_names_its_weekday_and_part():
    assert schedule.slot_of(datetime(2025, 3, 4, 19, 30)) == "tue-evening"  # noqa: DTZ001


def test_date_slots_are_the_chosen_parts_of_that_weekday_or_the_whole_day():
    tuesday = date(2025, 3, 4)
    assert schedule.date_slots(tuesday, ["tue-evening", "sat-morning"]) == ("tue-evening",)
    assert schedule.date_slots(tuesday) == ("tue-morning", "tue-afternoon", "tue-evening")


def test_date_label_reads_dutch_with_the_day_part_when_known():
    tuesday = date(2025, 3, 4)
    assert schedule.date_label(tuesday) == "dinsdag 4 maart"
    assert schedule.date_label(tuesday, ["tue-morning"]) == "dinsdagochtend 4 maart"
    assert schedule.date_label(date(2025, 12, 25)) == "donderdag 25 december"
