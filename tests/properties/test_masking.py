"""Properties of the masking of phone and ID numbers (portal.privacy): whatever they are given,
they never raise, never show the middle and keep the length of what they mask."""

import re

from hypothesis import given
from hypothesis import strategies as st

from portal.privacy import mask_id_number, mask_phone

digits = st.text("0123456789", min_size=1, max_size=20)
mobiles = st.builds(
    lambda second, rest: "1" + second + rest,
    st.sampled_from("3456789"),
    st.text("0123456789", min_size=9, max_size=9),
)
separators = st.sampled_from(["", " ", "-"])


@given(st.text())
def test_any_string_is_masked_without_error(value):
    assert isinstance(mask_phone(value), str)
    assert isinstance(mask_id_number(value), str)


@given(mobiles, separators)
def test_a_mobile_shows_only_its_first_three_and_last_four_digits(mobile, sep):
    typed = sep.join((mobile[:3], mobile[3:7], mobile[7:]))
    assert mask_phone(typed) == mobile[:3] + "****" + mobile[-4:]


@given(digits)
def test_a_phone_mask_keeps_the_digit_count_and_hides_all_but_four(number):
    masked = mask_phone(number)
    assert len(masked) == len(number)
    shown = [c for c in masked if c != "*"]
    assert len(shown) <= (7 if re.fullmatch(r"1\d{10}", number) else 4)
    assert masked.endswith(number[-4:]) or len(number) <= 4


@given(st.text(max_size=25))
def test_masking_a_masked_phone_changes_nothing(value):
    once = mask_phone(value)
    assert mask_phone(once) == once


@given(st.text("0123456789X", min_size=1, max_size=25))
def test_an_id_mask_keeps_the_length_and_never_shows_the_middle(number):
    masked = mask_id_number(number)
    assert len(masked) == len(number)
    # The birth date and sequence number (everything between region and last four) are hidden.
    assert set(masked[6:-4]) <= {"*"}
    # At most region and last four are shown, and at least five characters are always hidden.
    assert len(masked) - masked.count("*") <= 10
    assert masked.count("*") >= min(len(number), 5)


@given(st.text(max_size=25))
def test_masking_a_masked_id_number_changes_nothing(value):
    once = mask_id_number(value)
    assert mask_id_number(once) == once


@given(
    st.text("0123456789", min_size=6, max_size=6), st.text("0123456789", min_size=12, max_size=12)
)
def test_a_resident_id_shows_its_region_and_last_four(region, rest):
    number = region + rest
    assert mask_id_number(f" {number} ") == region + "*" * 8 + number[-4:]


@given(mobiles)
def test_a_masked_number_never_contains_the_middle_digits(mobile):
    assert mobile[3:7] not in mask_phone(mobile)[:7]
