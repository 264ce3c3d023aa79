"""Properties of the search query parser (search.query.parse) and of running what it compiles:
whatever a resident types, parsing never raises, tokens hold only letters, digits and
ideographs (nothing reaches a backend's query syntax), and the compiled query runs."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search import analysis
from search.query import MAX_QUERY_LENGTH, All, Any, Phrase, Term, parse, to_fts5, to_tsquery
from search.services import search
from tests.resources.factories import art_form, make_course

pytestmark = pytest.mark.django_db  # the tokenizer reads the hub's words

SAFE_TOKEN = re.compile(rf"[{analysis.CJK}a-z0-9]+")
# What residents type: ideographs (simplified and traditional), pinyin, digits, full-width
# forms, query syntax of every backend and stray punctuation.
TYPED = "书法舞蹈少儿培训班醴陵釉下五彩瓷書畫二胡我想学的了 shufaerhusfABC123１２３（）\"'*:^&|!<>-+~@()[]{}\\/、，。"
queries = st.one_of(st.text(), st.text(TYPED), st.text(TYPED, min_size=90, max_size=110))
SYNONYMS = {"少儿": ["儿童"], "儿童": ["少儿"], "二胡": ["胡琴"]}
VOCABULARY = analysis.Vocabulary(["书法", "舞蹈", "二胡", "胡琴", "少儿", "儿童", "醴陵"])


def tokens(node):
    if isinstance(node, Term):
        yield node.token
    elif isinstance(node, Phrase):
        yield from node.tokens
    elif isinstance(node, All | Any):
        for part in node.parts:
            yield from tokens(part)


def is_subsequence(needle, haystack):
    remaining = iter(haystack)
    return all(char in remaining for char in needle)


@given(queries)
def test_parsing_never_raises_and_either_explains_or_finds_concepts(text):
    parsed = parse(text, SYNONYMS, VOCABULARY)
    assert bool(parsed.error) == parsed.is_empty
    if parsed.error:
        assert parsed.error.isprintable() and not parsed.error.isascii()  # a Chinese message


@given(st.text(" \t\n\u3000\r"))
def test_blank_input_is_empty(text):
    parsed = parse(text)
    assert parsed.is_empty and parsed.error == "请输入要搜索的内容。"


@given(
    st.text(min_size=MAX_QUERY_LENGTH + 1).filter(
        lambda t: len(t.replace("\x00", "").strip()) > MAX_QUERY_LENGTH
    )
)
def test_overlong_input_is_refused(text):
    assert parse(text).is_empty


@given(queries)
def test_every_token_is_a_normalised_piece_of_the_query(text):
    parsed = parse(text, SYNONYMS, VOCABULARY)
    normalized = analysis.normalize(parsed.text)
    for concept in parsed.concepts:
        # Concepts are what the resident typed, normalised (stopwords between them dropped).
        assert is_subsequence(concept.text, normalized)
        for node in concept.alternatives + concept.fallback:
            assert all(SAFE_TOKEN.fullmatch(token) for token in tokens(node))


@given(queries, st.sampled_from(["AND", "OR"]), st.booleans())
def test_compiled_queries_quote_only_safe_tokens(text, operator, with_fallback):
    parsed = parse(text, SYNONYMS, VOCABULARY)
    fts5 = to_fts5(parsed, operator, with_fallback)
    tsquery = to_tsquery(parsed, operator, with_fallback)
    # Quotes only around tokens: stripping the tokens leaves nothing but syntax.
    assert not re.sub(rf'"[{analysis.CJK}a-z0-9 ]+"\*?', "", fts5).strip("(){} abcd:ANDOR")
    assert not re.sub(rf"'[{analysis.CJK}a-z0-9]+'(:\*?[ABCD]*)?", "", tsquery).strip("()&|<-> ")


@pytest.fixture
def one_indexed_course(network):
    from search.indexing import apply_pending

    make_course(network["liling"], status="open", title="少儿书法班", art_form=art_form("书法"))
    apply_pending()


@given(queries, st.sampled_from(["relevance", "date", "distance"]))
def test_searching_runs_the_compiled_query_on_the_database(one_indexed_course, text, sort):
    page = search(text, sort=sort)
    assert page.invalid or page.count >= 0
    if page.invalid:
        assert page.message and not page.results


@given(st.lists(st.one_of(st.just("\x00"), st.text(TYPED, max_size=5)), max_size=8).map("".join))
def test_nul_never_reaches_the_parsed_text(text):
    # The parsed text is what gets logged (zero-result queries): PostgreSQL refuses NUL in text.
    assert "\x00" not in parse(text, SYNONYMS, VOCABULARY).text
