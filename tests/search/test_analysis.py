"""Segmentation, normalisation, pinyin and query parsing, as data."""

import pytest

from search import analysis
from search.query import All, Any, Phrase, Term, parse, split_pinyin, to_fts5, to_tsquery

pytestmark = pytest.mark.django_db  # the tokenizer reads the hub's words


def test_shipped_dictionary_words_have_frequencies_and_are_kept_whole():
    assert all(freq > 0 for _, freq in analysis.shipped_dictionary())
    words = analysis.words("湘绣非遗传承人讲座", for_search=False)
    assert "湘绣非遗传承人" in words and "遗传" not in words
    assert "醴陵釉下五彩瓷" in analysis.words("醴陵釉下五彩瓷烧制技艺", for_search=False)


def test_search_mode_emits_the_words_inside_longer_words():
    assert {"书法", "书法家"} <= set(analysis.words("书法家协会"))
    assert "书法" in analysis.bigrams("书法班")
    assert "书法" not in analysis.words("图书法规")  # only the bigrams hold it, by accident


def test_normalisation_folds_traditional_and_full_width():
    assert analysis.normalize("書法ＡＢＣ") == "书法abc"


def test_pinyin_and_initials():
    assert analysis.pinyin("书法") == "shufa" and analysis.initials("书法") == "sf"
    assert analysis.pinyin("abc") == ""
    assert split_pinyin("xian") == ["xian"]
    assert split_pinyin("shaoershufa") == ["shao", "er", "shu", "fa"]
    assert split_pinyin("sf") is None


def test_analyse_separates_weight_classes():
    tokens = analysis.analyse("少儿书法培训班", "学习楷书")
    assert "书法" in tokens.a.split() and "shufa" in tokens.a.split()
    assert "楷书" in tokens.b.split()
    assert "儿书" in tokens.c.split()
    assert "sf" in tokens.d.split() and "sesfpxb" in tokens.d.split()


def test_query_concepts_and_alternatives():
    parsed = parse("少儿书法", {"少儿": ["儿童"]})
    assert [c.text for c in parsed.concepts] == ["少儿", "书法"]
    assert Term("儿童") in parsed.concepts[0].alternatives
    long_word = parse("醴陵釉下五彩瓷").concepts[0]
    assert Phrase(("醴陵", "陵釉", "釉下", "下五", "五彩", "彩瓷")) in long_word.alternatives
    initials = parse("sf").concepts[0]
    assert Term("sf", prefix=True, classes="d") in initials.alternatives
    full = parse("shaoershufa").concepts[0]
    assert All((Term("shaoer"), Term("shufa"))) in full.alternatives
    # With the words they spell known, each pair may also be the word or its synonyms.
    known = parse("shaoershufa", {"少儿": ["儿童"]}, analysis.Vocabulary(["少儿", "书法"]))
    pairs = next(a for a in known.concepts[0].alternatives if isinstance(a, All)).parts
    assert pairs[0] == Any((Term("shaoer"), Term("少儿"), Term("儿童")))
    assert pairs[1] == Any((Term("shufa"), Term("书法")))
    assert [c.text for c in parse("少儿shufa").concepts] == ["少儿", "shufa"]


@pytest.mark.parametrize(
    "text", ['"书法" OR *', "书法') OR 1=1 --", "a:b {c} NEAR(x y)", "书法 AND NOT 舞蹈 ^2"]
)
def test_user_syntax_never_reaches_a_backend(text):
    parsed = parse(text)
    fts, tsq = to_fts5(parsed), to_tsquery(parsed)
    for token in ('"书法" OR', "'书法') OR", "NEAR(", "^2", "--", "1=1"):
        assert token not in fts and token not in tsq
    for c in parsed.concepts:
        assert all(ch.isalnum() for ch in c.text)


def test_bad_queries_are_refused_with_a_reason():
    assert "请输入" in parse("   ").error
    assert "过长" in parse("书" * 101).error
    assert "只有符号" in parse("！？。，……").error
    assert not parse("书" * 100).error


def test_stopwords_are_dropped_unless_nothing_else_is_left():
    assert [c.text for c in parse("我想学书法").concepts] == ["书法"]
    assert [c.text for c in parse("的").concepts] == ["的"]
    # Unknown names stay whole rather than falling apart into single characters.
    assert [c.text for c in parse("王小明老师").concepts] == ["王小明", "老师"]
