"""Properties of the resident ID number check (GB 11643-1999) and the mobile number check."""

import re
import unicodedata
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import assume, given
from hypothesis import strategies as st

from training.validators import (
    ID_CHECK_CHARS,
    id_check_char,
    normalise_id_number,
    normalise_mobile,
    validate_id_number,
    validate_mobile,
)

ASCII_DIGITS = "0123456789"
regions = st.text(ASCII_DIGITS, min_size=6, max_size=6)
births = st.dates(min_value=date(1900, 1, 1), max_value=date.today())
sequences = st.text(ASCII_DIGITS, min_size=3, max_size=3)


@st.composite
def valid_id_numbers(draw):
    first17 = draw(regions) + draw(births).strftime("%Y%m%d") + draw(sequences)
    return first17 + id_check_char(first17)


def refused_code(value):
    with pytest.raises(ValidationError) as refused:
        validate_id_number(value)
    return refused.value.code


@given(valid_id_numbers(), st.sampled_from(["", " ", "\t"]))
def test_every_valid_number_passes_with_either_case_and_surrounding_space(number, pad):
    validate_id_number(pad + number + pad)
    validate_id_number(number.lower())


@given(valid_id_numbers(), st.integers(0, 17), st.data())
def test_any_single_character_change_is_refused(number, position, data):
    # Every weight is non-zero modulo 11, so changing one digit always changes the check char.
    choices = ID_CHECK_CHARS if position == 17 else ASCII_DIGITS
    replacement = data.draw(st.sampled_from([c for c in choices if c != number[position]]))
    changed = number[:position] + replacement + number[position + 1 :]
    assert refused_code(changed) in {"id_check", "id_birth", "id_format"}


@given(valid_id_numbers(), st.integers(0, 15))
def test_swapping_two_adjacent_digits_is_refused(number, position):
    a, b = number[position], number[position + 1]
    assume(a != b)
    swapped = number[:position] + b + a + number[position + 2 :]
    assert refused_code(swapped) in {"id_check", "id_birth"}


@given(st.text(max_size=30))
def test_anything_not_17_ascii_digits_and_a_check_char_is_refused_as_a_format_error(value):
    assume(not re.fullmatch(r"[0-9]{17}[0-9X]", normalise_id_number(value)))
    assert refused_code(value) == "id_format"


@given(valid_id_numbers(), st.text(ASCII_DIGITS + "X", min_size=1, max_size=3))
def test_too_long_or_truncated_numbers_are_refused(number, extra):
    assert refused_code(number + extra) == "id_format"
    assert refused_code(number[: -len(extra)]) == "id_format"


@given(regions, st.dates(min_value=date.today().replace(year=date.today().year + 1)), sequences)
def test_a_birth_date_in_the_future_is_refused(region, born, sequence):
    assume(born.year < 10000)
    first17 = region + born.strftime("%Y%m%d") + sequence
    assert refused_code(first17 + id_check_char(first17)) == "id_birth"


@given(valid_id_numbers())
def test_full_width_digits_are_read_as_the_ascii_number(number):
    # A Chinese input method types １２３: the same number, stored in ASCII.
    full_width = number.translate({ord(c): ord(c) + 0xFEE0 for c in ASCII_DIGITS + "X"})
    assert normalise_id_number(full_width) == number
    validate_id_number(full_width)


# Digits NFKC does not turn into ASCII ones (Arabic-Indic, Devanagari …; not full-width ０-９).
other_digits = st.characters(categories=["Nd"]).filter(
    lambda c: unicodedata.normalize("NFKC", c) not in ASCII_DIGITS
)


@given(valid_id_numbers(), st.lists(st.tuples(st.integers(0, 16), other_digits), min_size=1))
def test_digits_of_other_scripts_are_refused(number, replacements):
    digits = list(number)
    for position, char in replacements:
        if char not in ASCII_DIGITS:
            digits[position] = char
    assume(digits != list(number))
    assert refused_code("".join(digits)) == "id_format"


@given(st.text(max_size=20))
def test_a_mobile_number_accepted_is_eleven_ascii_digits(value):
    try:
        validate_mobile(normalise_mobile(value))
    except ValidationError:
        return
    assert re.fullmatch(r"1[3-9][0-9]{9}", normalise_mobile(value))


@given(st.text("0123456789", min_size=9, max_size=9), st.sampled_from("3456789"))
def test_mobile_numbers_with_prefix_and_separators_normalise(rest, second):
    mobile = "1" + second + rest
    for typed in (
        mobile,
        f"+86 {mobile}",
        f"86{mobile}",
        f"{mobile[:3]}-{mobile[3:7]}-{mobile[7:]}",
    ):
        assert normalise_mobile(typed) == mobile
        validate_mobile(normalise_mobile(typed))
