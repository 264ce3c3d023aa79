"""Parse what a resident typed into backend-neutral concepts, and compile them for each backend.

A query is a list of concepts that must all match (AND). A concept is a set of alternatives:
the word, its synonyms, the ideograph bigrams of a longer word as a phrase, its pinyin or the
pinyin initials. Tokens only ever hold letters, digits and ideographs, so nothing the user typed
reaches a backend's query syntax unescaped.
"""

from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.translation import gettext as _
from pypinyin import lazy_pinyin

from . import analysis

MAX_QUERY_LENGTH = 100
# Initials shorter than this match far too much (a single letter is every tenth title).
MIN_INITIALS = 2


@dataclass(frozen=True)
class Term:
    token: str
    prefix: bool = False
    # Restrict to weight classes ('a'..'d'); empty means every class.
    classes: str = ""


@dataclass(frozen=True)
class Phrase:
    tokens: tuple
    classes: str = "c"


@dataclass(frozen=True)
class All:
    parts: tuple


@dataclass(frozen=True)
class Any:
    """Inside All: one part that may be spelt several ways (shaoer: the pinyin, 少儿, 儿童 …)."""

    parts: tuple


@dataclass(frozen=True)
class Concept:
    text: str
    alternatives: tuple
    # Tried only when nothing matches: homophones of a mistyped word (书发 → shufa → 书法).
    fallback: tuple = ()
    # Ideograph strings to mark in snippets when this concept matched.
    highlights: tuple = ()


@dataclass
class ParsedQuery:
    text: str
    concepts: list = field(default_factory=list)
    error: str = ""

    @property
    def is_empty(self):
        return not self.concepts

    def highlights(self):
        return [h for concept in self.concepts for h in concept.highlights]


@lru_cache(maxsize=1)
def pinyin_syllables():
    """Every toneless syllable pypinyin knows (about 410)."""
    syllables = set()
    for code in range(0x4E00, 0x9FA6):
        syllables.update(lazy_pinyin(chr(code), errors="ignore"))
    return frozenset(s for s in syllables if s.isalpha())


def split_pinyin(text):
    """Split latin letters into the fewest pinyin syllables (xian → xian, not xi an), or None."""
    syllables = pinyin_syllables()
    best = [None] * (len(text) + 1)
    best[0] = []
    for end in range(1, len(text) + 1):
        for start in range(max(0, end - 6), end):
            piece = text[start:end]
            if best[start] is not None and piece in syllables:
                candidate = best[start] + [piece]
                if best[end] is None or len(candidate) < len(best[end]):
                    best[end] = candidate
    return best[len(text)]


def _sub_word_cover(word):
    """The longest dictionary words inside a long word, left to right without overlap:
    醴陵釉下五彩瓷 → 醴陵 + 釉下五彩瓷, so a text naming them apart still matches."""
    frequency = analysis.tokenizer().FREQ
    # Longest first; among equals the commoner word (青少年 → 少年, not 青少), then leftmost.
    inside = sorted(
        {w for w in analysis.words(word) if 1 < len(w) < len(word)},
        key=lambda w: (-len(w), -frequency.get(w, 0), word.find(w)),
    )
    taken, cover = set(), []
    for sub in inside:
        start = word.find(sub)
        span = set(range(start, start + len(sub)))
        if not span & taken:
            taken |= span
            cover.append((start, sub))
    return tuple(Term(sub) for _, sub in sorted(cover))


def _word_alternatives(word, classes=""):
    """How a word may match. `classes` narrows the weight classes (only used for words guessed
    from initials, which search the bigrams so that they rank below real word matches)."""
    if len(word) == 1:
        return (Term(word, prefix=True),) if not classes else ()
    if classes:
        return (
            (Term(word, classes="c"),)
            if len(word) == 2
            else (Phrase(tuple(analysis.bigrams(word))),)
        )
    if len(word) == 2:
        return (Term(word),)
    # A longer word is also found inside longer words jieba kept whole (adjacent bigrams), and,
    # more weakly, where its parts appear apart.
    alternatives = [Term(word), Phrase(tuple(analysis.bigrams(word)))]
    cover = _sub_word_cover(word)
    if cover:
        alternatives.append(All(cover) if len(cover) > 1 else cover[0])
    return tuple(alternatives)


def _with_synonyms(words, synonyms):
    group = list(words)
    for word in words:
        group.extend(s for s in synonyms.get(word, ()) if s not in group)
    return group


def _cjk_concept(word, synonyms, vocabulary):
    group = _with_synonyms([word], synonyms)
    alternatives = tuple(alt for w in group for alt in _word_alternatives(w))
    # A mistyped word sounds like the right one (二湖 → erhu → 二胡, and its synonyms).
    sounds = list(dict.fromkeys(p for p in map(analysis.pinyin, group) if p))
    homophones = _with_synonyms([w for p in sounds for w in vocabulary.by_pinyin(p)], synonyms)
    fallback = tuple(Term(p) for p in sounds) + tuple(
        alt for w in homophones if w not in group for alt in _word_alternatives(w)
    )
    return Concept(word, alternatives, fallback, tuple(group))


def _pair_up(syllables):
    """shao er shu fa → shaoer shufa: most words are two syllables; a trailing one joins the last."""
    groups = ["".join(syllables[i : i + 2]) for i in range(0, len(syllables), 2)]
    if len(syllables) % 2 and len(groups) > 1:
        groups[-2:] = [groups[-2] + groups[-1]]
    return groups


def _spelt_part(pinyin_group, synonyms, vocabulary):
    """One syllable pair of a long pinyin query: the pinyin itself or a known word it spells."""
    words = _with_synonyms(vocabulary.by_pinyin(pinyin_group), synonyms)
    if not words:
        return Term(pinyin_group)
    return Any((Term(pinyin_group), *(alt for w in words for alt in _word_alternatives(w))))


def _latin_concept(run, synonyms, vocabulary):
    alternatives = [Term(run)]
    if run.isdigit():
        return Concept(run, tuple(alternatives), highlights=(run,))
    syllables = split_pinyin(run)
    if syllables and len(syllables) > 2:
        alternatives.append(
            All(tuple(_spelt_part(g, synonyms, vocabulary) for g in _pair_up(syllables)))
        )
    # Known words spelt by this pinyin, with their synonyms (erhu → 二胡 = 胡琴).
    spelt = _with_synonyms(vocabulary.by_pinyin(run), synonyms)
    alternatives.extend(alt for w in spelt for alt in _word_alternatives(w))
    guessed = []
    looks_like_initials = not syllables or not any(ch in "aeiouv" for ch in run)
    if looks_like_initials and len(run) >= MIN_INITIALS:
        # Initials rank last: the title initials live in the weakest class, and the known
        # words they abbreviate (sf → 书法, 石峰) are looked for among the bigrams only.
        alternatives.append(Term(run, prefix=True, classes="d"))
        guessed = _with_synonyms(vocabulary.by_initials(run), synonyms)
        alternatives.extend(alt for w in guessed for alt in _word_alternatives(w, classes="c"))
    highlights = (run, *spelt, *guessed)
    return Concept(run, tuple(dict.fromkeys(alternatives)), highlights=highlights)


def query_words(run):
    """Dictionary words of a CJK run, function words dropped, and leftover single characters
    joined back together: 我想学书法 → [书法]; an unknown name 王小明 stays one concept (its
    bigrams then find it), instead of three one-character guesses."""
    found = analysis.words(run, for_search=False, hmm=False)
    kept = [w for w in found if w not in analysis.stopwords()] or found
    merged = []
    for word in kept:
        if len(word) == 1 and merged and len(merged[-1][-1]) == 1:
            merged[-1].append(word)
        else:
            merged.append([word])
    return ["".join(group) for group in merged]


def parse(text, synonyms=None, vocabulary=None):
    """Parse a query; `synonyms` maps a word to the words it is equivalent to; `vocabulary`
    (analysis.Vocabulary) knows which words a pinyin or initials string may stand for."""
    synonyms = synonyms or {}
    vocabulary = vocabulary or analysis.Vocabulary(())
    # NUL: no backend can hold it (PostgreSQL refuses it in text), and the text is logged.
    raw = (text or "").replace("\x00", "").strip()
    if not raw:
        return ParsedQuery(raw, error=_("请输入要搜索的内容。"))
    if len(raw) > MAX_QUERY_LENGTH:
        return ParsedQuery(
            raw, error=_("搜索内容过长（最多 %(max)d 个字）。") % {"max": MAX_QUERY_LENGTH}
        )
    normalized = analysis.normalize(raw)
    concepts = []
    for run in analysis.runs(normalized):
        if analysis.is_cjk(run):
            concepts.extend(_cjk_concept(w, synonyms, vocabulary) for w in query_words(run))
        else:
            concepts.append(_latin_concept(run, synonyms, vocabulary))
    unique = list({c.text: c for c in concepts}.values())
    if not unique:
        return ParsedQuery(raw, error=_("搜索内容只有符号，请输入文字、拼音或数字。"))
    return ParsedQuery(raw, unique)


# --- compilation -------------------------------------------------------------------------


def _fts5_node(node):
    if isinstance(node, Term):
        expr = f'"{node.token}"' + ("*" if node.prefix else "")
        return f"{{{' '.join(node.classes)}}} : {expr}" if node.classes else expr
    if isinstance(node, Phrase):
        expr = '"' + " ".join(node.tokens) + '"'
        return f"{{{' '.join(node.classes)}}} : {expr}" if node.classes else expr
    if isinstance(node, All):
        return "(" + " AND ".join(_fts5_node(p) for p in node.parts) + ")"
    if isinstance(node, Any):
        return "(" + " OR ".join(_fts5_node(p) for p in node.parts) + ")"
    raise TypeError(node)


def _pg_lexeme(token, prefix, classes):
    suffix = ("*" if prefix else "") + classes.upper()
    return f"'{token}'" + (f":{suffix}" if suffix else "")


def _pg_node(node):
    if isinstance(node, Term):
        return _pg_lexeme(node.token, node.prefix, node.classes)
    if isinstance(node, Phrase):
        return "(" + " <-> ".join(_pg_lexeme(t, False, node.classes) for t in node.tokens) + ")"
    if isinstance(node, All):
        return "(" + " & ".join(_pg_node(p) for p in node.parts) + ")"
    if isinstance(node, Any):
        return "(" + " | ".join(_pg_node(p) for p in node.parts) + ")"
    raise TypeError(node)


def _alternatives(concept, with_fallback):
    nodes = concept.alternatives + (concept.fallback if with_fallback else ())
    return nodes


def to_fts5(parsed, operator="AND", with_fallback=False):
    parts = [
        "(" + " OR ".join(_fts5_node(n) for n in _alternatives(c, with_fallback)) + ")"
        for c in parsed.concepts
    ]
    return f" {operator} ".join(parts)


def to_tsquery(parsed, operator="AND", with_fallback=False):
    joiner = " & " if operator == "AND" else " | "
    parts = [
        "(" + " | ".join(_pg_node(n) for n in _alternatives(c, with_fallback)) + ")"
        for c in parsed.concepts
    ]
    return joiner.join(parts)
