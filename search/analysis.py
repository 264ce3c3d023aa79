"""Chinese text analysis shared by indexing and querying, so both cut text the same way.

A text becomes four token streams, one per weight class (see `Tokens`): words (jieba's
search mode, which also emits the dictionary words inside a longer word: 书法家 → 书法, 书法家),
their pinyin, CJK bigrams (recall that does not depend on how jieba cut) and pinyin initials.
Tokens only hold letters and digits, so every backend tokenises them the same way.
"""

import logging
import re
import threading
import time
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jieba
import opencc
from pypinyin import Style, lazy_pinyin

DICTIONARY_DIR = Path(__file__).resolve().parent / "dictionary"
USER_DICTIONARY = DICTIONARY_DIR / "culture.txt"
STOPWORDS_FILE = DICTIONARY_DIR / "stopwords.txt"

# CJK unified ideographs (with extension A) and compatibility ideographs.
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
RUN = re.compile(rf"[{CJK}]+|[a-z0-9]+")
CJK_RUN = re.compile(rf"^[{CJK}]+$")
# jieba's tokens may carry punctuation or spaces; keep letters, digits and ideographs only.
TOKEN_CHARS = re.compile(rf"[^{CJK}a-z0-9]+")

jieba.setLogLevel(logging.WARNING)
_to_simplified = opencc.OpenCC("t2s")
_lock = threading.Lock()
_tokenizer = None
_signature = None
_checked_at = 0.0
RECHECK_SECONDS = 60


def _read_lines(path):
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            yield line


@lru_cache(maxsize=1)
def stopwords():
    return frozenset(word for line in _read_lines(STOPWORDS_FILE) for word in line.split())


def shipped_dictionary():
    """[(word, frequency)] of the dictionary shipped in the repository."""
    entries = []
    for line in _read_lines(USER_DICTIONARY):
        word, freq, *_ = line.split()
        entries.append((word, int(freq)))
    return entries


def _extra_words():
    """Words the hub added in the admin; empty before the tables exist (first migrate)."""
    from django.db import DatabaseError

    from .models import DictionaryWord

    try:
        return list(DictionaryWord.objects.order_by("pk").values_list("word", "frequency"))
    except DatabaseError:
        return []


def _dictionary_signature():
    return tuple(_extra_words())


def refresh_if_changed():
    """Reload when the hub's words differ from those loaded: another process (the admin) may
    have changed them. The worker calls this before each batch; queries check every minute."""
    global _checked_at
    now = time.monotonic()
    if _tokenizer is not None and _signature == _dictionary_signature():
        _checked_at = now
        return False
    reload_dictionary()
    _checked_at = now
    return True


def maybe_refresh():
    if time.monotonic() - _checked_at > RECHECK_SECONDS:
        refresh_if_changed()


def tokenizer():
    global _tokenizer, _signature
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                tok = jieba.Tokenizer()
                tok.initialize()
                # Explicit frequencies: jieba ignores an added word it has no count for.
                extra = _extra_words()
                for word, freq in shipped_dictionary() + extra:
                    tok.add_word(word, freq)
                _signature = tuple(extra)
                _tokenizer = tok
    return _tokenizer


def reload_dictionary():
    """Drop the tokenizer so the next use picks up the hub's dictionary changes."""
    global _tokenizer
    with _lock:
        _tokenizer = None
    _segment_cache.cache_clear()


def normalize(text):
    """Full-width to half-width, traditional to simplified, lower case."""
    text = unicodedata.normalize("NFKC", text or "")
    return _to_simplified.convert(text).lower()


def runs(text):
    """Runs of ideographs or of latin letters and digits, in order (text must be normalised)."""
    return RUN.findall(text)


def is_cjk(token):
    return bool(CJK_RUN.match(token))


def _clean(tokens):
    for token in tokens:
        token = TOKEN_CHARS.sub("", token.lower())
        if token:
            yield token


@lru_cache(maxsize=4096)
def _segment_cache(run, for_search, hmm):
    tok = tokenizer()
    cut = tok.cut_for_search(run, HMM=hmm) if for_search else tok.cut(run, HMM=hmm)
    return tuple(_clean(cut))


def words(text, for_search=True, hmm=True):
    """jieba words of a normalised text; search mode adds the dictionary words inside longer
    ones. `hmm` lets jieba guess unknown words (names); queries turn it off (see query.py)."""
    result = []
    for run in runs(text):
        if is_cjk(run):
            result.extend(_segment_cache(run, for_search, hmm))
        else:
            result.append(run)
    return result


def bigrams(text):
    """Overlapping ideograph pairs of every CJK run; a lone ideograph stands for itself."""
    grams = []
    for run in runs(text):
        if not is_cjk(run):
            continue
        if len(run) == 1:
            grams.append(run)
        grams.extend(run[i : i + 2] for i in range(len(run) - 1))
    return grams


@lru_cache(maxsize=65536)
def pinyin(word):
    """Toneless full pinyin of a word (书法 → shufa); '' for a word without ideographs."""
    if not is_cjk(word):
        return ""
    return "".join(lazy_pinyin(word, errors="ignore"))


@lru_cache(maxsize=65536)
def initials(word):
    """First letters of each syllable (书法 → sf)."""
    if not is_cjk(word):
        return ""
    return "".join(s[0] for s in lazy_pinyin(word, style=Style.FIRST_LETTER, errors="ignore") if s)


class Vocabulary:
    """Known words by their pinyin and by their initials: the words a latin query may spell."""

    MAX_WORDS = 12  # an initials string can stand for many words; keep the commonest few

    def __init__(self, words):
        self._pinyin, self._initials = {}, {}
        for word in dict.fromkeys(words):
            if is_cjk(word) and len(word) > 1:
                self._pinyin.setdefault(pinyin(word), []).append(word)
                self._initials.setdefault(initials(word), []).append(word)

    def by_pinyin(self, text):
        return self._pinyin.get(text, [])[: self.MAX_WORDS]

    def by_initials(self, text):
        return self._initials.get(text, [])[: self.MAX_WORDS]


def vocabulary(extra_words=()):
    """The shipped dictionary, the hub's words and `extra_words` (art forms, synonyms)."""
    tokenizer()  # loads the hub's words (and the signature below)
    return _vocabulary(tuple(sorted(set(extra_words))), _signature)


@lru_cache(maxsize=8)
def _vocabulary(extra_words, signature):
    words = [w for w, _ in shipped_dictionary()] + [w for w, _ in signature or ()]
    return Vocabulary(words + list(extra_words))


@dataclass(frozen=True)
class Tokens:
    """The four weight classes of a document, strongest first."""

    a: str  # title words and their pinyin
    b: str  # body words
    c: str  # CJK bigrams of title and body in order (phrases rely on adjacency), then places
    d: str  # pinyin initials of title words, and of the whole title (prefix autocompletion)


def _with_pinyin(word_list):
    out = list(word_list)
    out.extend(p for p in map(pinyin, word_list) if p)
    return " ".join(out)


def analyse(title, body="", places=""):
    """`places` (the venue's name and district) is searchable at the weak bigram weight, so
    醴陵书法 finds calligraphy at Liling's venues without outranking entries about 醴陵."""
    title, body, places = normalize(title), normalize(body), normalize(places)
    title_words = words(title)
    title_initials = [i for i in map(initials, title_words) if len(i) > 1]
    whole = "".join(initials(run) or run[:1] for run in words(title, for_search=False))
    if len(whole) > 1:
        title_initials.append(whole)
    return Tokens(
        a=_with_pinyin(title_words),
        # Body words without their pinyin: a pinyin query reaches the body through the known
        # words it spells (query.Vocabulary), and the vectors stay small enough to rank fast.
        b=" ".join(words(body)),
        c=" ".join(bigrams(title) + bigrams(body) + words(places, for_search=False)),
        d=" ".join(title_initials),
    )


def segment_for_index(text):
    """Plain text for Wagtail's own index: words, then bigrams, space separated."""
    text = normalize(text)
    return " ".join(words(text) + bigrams(text))
