"""Benchmark: search over 100,000 catalogue entries, on SQLite and on PostgreSQL.

    .venv/bin/python bench/bench_search.py     # SQLite, then PostgreSQL, each in a child process
    DATABASE_URL=postgres://... .venv/bin/python bench/bench_search.py   # only that database

A throw-away test database (all migrations) gets 49 venues and a seeded corpus of courses,
teachers, programmes and heritage items built from Chinese vocabulary items that say which words
they hold, so the benchmark knows which entries hold a query as a word (书法 in 少儿书法班, 书法家)
and which only by accident (图书法规): it reports the recall of word queries and whether accidental
holders rank below every real match. It times search.rebuild.rebuild() (then ANALYZE), and each
query through four paths, runs interleaved after a warm-up: raw SQL (the baseline: the query's
AND tier from to_fts5 / to_tsquery, the 20 best by bm25 / ts_rank plus the count), the backend
without facets, with facets, and search.services.search(q, page_size=20) as the API calls it.
Goals: service p95 < 50 ms, service/raw < 2x at p50 and p95, recall >= 0.95 for every word
query. It prints PASS or MISS per goal and exits 0 either way: it is a measurement.
"""

import argparse
import math
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

PG_URL = "postgres://postgres@127.0.0.1:5432/culturehall"
GOAL_MS, GOAL_RATIO, GOAL_RECALL = 50, 2.0, 0.95
KINDS = {"course": 82, "teacher": 9, "programme": 6, "heritage": 3}  # per 100 entries
BATCH = 2000


def table(text):
    return [line.split() for line in text.strip().splitlines()]


# Vocabulary. An item "text|word|word" is text that holds these words besides itself.
DISTRICTS = table("""
天元区|天元  嵩山 栗雨 马家河 群丰 雷打石
醴陵市|醴陵  浦口 白兔潭 王仙 东富 船湾
攸县        皇图岭 网岭 鸾山 酒埠江 柏市
茶陵县|茶陵  虎踞 严塘 腰潞 火田 秩堂
炎陵县|炎陵  鹿原 霞阳 沔渡 十都
渌口区|渌口  南洲 淦田 龙船 古岳峰
芦淞区|芦淞  建宁 贺家土 龙泉 白关
荷塘区|荷塘  仙庾 月塘 明照 桂花
石峰区|石峰  清水塘 响石岭 龙头铺 井墩
""")  # district, its towns (a branch each); the hub sits in the first, a main centre in others
ARTS = table("""
书法   书法     书法家|书法 书法班|书法 硬笔书法|硬笔|书法
舞蹈   舞蹈     舞蹈队|舞蹈 少儿舞蹈|少儿|舞蹈
广场舞 广场舞   广场舞队|广场舞
合唱   声乐     合唱团|合唱
国画   美术     中国画|国画 国画班|国画
摄影   摄影     摄影展|摄影 摄影师|摄影
二胡   器乐     二胡独奏|二胡|独奏
太极拳 体育健身 太极拳队|太极拳
古筝   器乐     古筝曲|古筝
朗诵   朗诵     诗歌朗诵|诗歌|朗诵
油画   美术     油画写生|油画|写生
剪纸   非遗技艺 剪纸艺术|剪纸|艺术
花鼓戏 戏曲     花鼓戏唱腔|花鼓戏|唱腔
声乐   声乐     声乐班|声乐
葫芦丝 器乐
琵琶   器乐
素描   美术     素描班|素描
街舞   舞蹈
湘绣   非遗技艺 湘绣技法|湘绣|技法
皮影戏 戏曲
昆曲   戏曲
""")  # art, its art form, compounds holding it; commonest first
ART_WEIGHTS = [1 / (i + 1) for i in range(len(ARTS))]
ART_WEIGHTS[-1] = 0.002  # 昆曲, the rare query: about 50 entries in 100,000
HERITAGE = table("""
花鼓戏                            drama     传统戏剧|传统|戏剧
湘绣                              craft     传统技艺|传统|技艺
剪纸                              fine_arts 传统美术|传统|美术
皮影戏                            drama     传统戏剧|传统|戏剧
釉下五彩瓷烧制技艺|釉下五彩瓷|技艺 craft     传统技艺|传统|技艺
板凳龙                            dance     传统舞蹈|传统|舞蹈
""")  # item, category, the category's label (indexed with the item, so its words count)
AUDIENCES = dict(table("少儿 children\n儿童 children\n青少年 youth\n成人 all\n老年 seniors"))
AUDIENCES["中老年|老年"] = "seniors"
COURSE_WORDS = "培训班|培训 提高班 启蒙班|启蒙 公益课堂|公益|课堂 公益讲座|公益|讲座 兴趣班 体验课"
ACCIDENTS = (
    "图书法规|图书|法规 全国画展|全国|画展 联合唱响|联合|唱响 拍摄影片|拍摄|影片 游戏曲目|游戏|曲目"
)
INHERITORS = "传承人 非遗传承人|非遗|传承人 代表性传承人|代表性|传承人"
QUALIFICATIONS = "国家二级演员 高级教师 一级美术师 市级协会会员"
SURNAMES, GIVEN = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹",
    "丽华明芳军建红春梅志强秀英文平海玲燕波静敏杰涛兰霞勇辉琳婷",
)
# Sentences of descriptions; {slots} take items, the fixed text around them holds no query word.
COURSE_TEXT = """本期课程面向{aud}学员，|由{place}的专业老师授课，|系统学习{art}的基础知识与技巧。
课堂气氛轻松，零基础也能跟上。|结业时举办{artx}汇报展示。|每周六上午在{place}上课，
{artx}爱好者欢迎报名参加。|名额有限，额满即止。|课程循序渐进，注重因材施教。
优秀学员将推荐参加全市展演。|{place}的{art}活动历史悠久，群众基础深厚。""".replace("\n", "|")
BIO = "从事{art}教学二十余年，|{place}{artx}协会会员，|擅长{aud}{art}教学，|多次在全省比赛中获奖，"
HERITAGE_TEXT = "{item}流传于{place}一带，|现有{inheritor}多名，|已列入保护名录。"
TITLES = "{place}{aud}{artx}{cw}|{aud}{artx}{cw}|{artx}{cw}|{accident}{cw}"
PROGRAMMES = "{place}{artx}专场演出 performance|{artx}作品展览 exhibition|{artx}进社区讲座 lecture"
OTHER_TEXT = "{aud}启蒙、{aud2}提高|{place}{art}艺术团|{place}{item}|" + QUALIFICATIONS

QUERIES = {
    row[0]: row[1:]
    for row in table(
        """
word        书法 国画 舞蹈 合唱 摄影 剪纸 二胡 湘绣 古筝 声乐 戏曲 油画 琵琶 素描 街舞 朗诵
            花鼓戏 太极拳 广场舞 葫芦丝 书法家 皮影戏 传承人 醴陵 攸县 少儿 老年 昆曲 培训
phrase      少儿书法 老年合唱 醴陵剪纸 成人国画 少儿舞蹈培训 攸县花鼓戏 书法培训班 二胡提高班
            湘绣传承人 老年太极拳
pinyin      shufa huaguxi wudao hechang taijiquan xiangxiu erhu
initials    sf hgx tjq gh wd
traditional 書法 國畫 花鼓戲 攝影 剪紙
mixed       少儿shufa 老年hechang liling剪纸
other       课程 公益 我想学书法 书发 量子力学
""".replace("\n            ", " ")
    )
}  # other: very common words, a sentence, a typo, nothing at all
SLOT = re.compile(r"\{(\w+)\}")
FIXED = SLOT.sub("|", "|".join([COURSE_TEXT, BIO, HERITAGE_TEXT, TITLES, PROGRAMMES, OTHER_TEXT]))
assert not any(word in FIXED for word in QUERIES["word"]), "the ground truth would be wrong"


def fill(template, slots):
    """(text, words it holds): fixed text adds no word, a slot adds its item's words."""
    texts, words = [], set()
    for i, part in enumerate(SLOT.split(template)):
        if i % 2:
            text, *extra = slots[part].split("|")
            words.update([text, *extra])
            part = text
        texts.append(part)
    return "".join(texts), words


def paragraph(rng, sentences, slots, low=40, high=120):
    """Sentences in random order until the text is `low`..`high` characters long."""
    target, text, words = rng.randint(low, high), "", set()
    for sentence in rng.sample(sentences.split("|"), sentences.count("|") + 1):
        piece, held = fill(sentence, slots)
        if len(text) + len(piece) <= high:
            text, words = text + piece, words | held
        if len(text) >= target:
            break
    return text, words


def make_network():
    """The hub, a main centre per county and a branch per town, as [(venue, its share of the
    entries, the places its entries mention)]."""
    from network.models import Venue
    from network.services import save_venue

    hub = save_venue(
        Venue(code="bench-hub", level="hub", name="株洲市群众艺术馆", district="天元区")
    )
    venues = [(hub, 4, ["株洲", DISTRICTS[0][0]])]
    for d, (district, *towns) in enumerate(DISTRICTS):
        name, parent = district.split("|")[0], hub
        if d:
            main = Venue(
                code=f"main-{d}", level="main", name=f"{name}文化馆", parent=hub, district=name
            )
            parent = save_venue(main)
            venues.append((parent, 4, [district]))
        for t, town in enumerate(towns):
            branch = Venue(
                code=f"b-{d}-{t}", level="branch", place_name=town, parent=parent, district=name
            )
            venues.append((save_venue(branch), 1, [district, town]))
    return venues


def entry(rng, kind, venue, places, forms, taken):
    """(model fields, searchable text, words it holds, publicly findable, art forms)."""
    art, form, *compounds = rng.choices(ARTS, ART_WEIGHTS)[0]
    aud = rng.choice(list(AUDIENCES))
    slots = {"art": art, "artx": rng.choice([art] * 3 + compounds), "aud": aud}
    slots |= {"place": rng.choice(places), "cw": rng.choice(COURSE_WORDS.split())}
    fields = {"owner_id": venue.pk, "visibility": "staff" if rng.random() < 0.02 else "public"}
    public = fields["visibility"] == "public"
    if kind == "course":
        # One in a hundred: 图书法规讲座 holds a query's characters, not the word.
        template = TITLES.split("|")[-1 if rng.random() < 0.01 else rng.randrange(3)]
        title, words = fill(template, slots | {"accident": rng.choice(ACCIDENTS.split())})
        description, held = paragraph(rng, COURSE_TEXT, slots)
        start, issue, base = date(2026, 1, 1) + timedelta(days=rng.randrange(365)), 1, title
        while (venue.pk, title, start) in taken:
            issue += 1
            title = f"{base}（第{issue}期）"
        taken.add((venue.pk, title, start))
        status = rng.choices(["open", "full", "closed", "draft"], [88, 5, 5, 2])[0]
        fee = rng.choice(["free", "low", "charged"])
        fields |= dict(title=title, art_form_id=forms[form], audience=AUDIENCES[aud], status=status)
        fields |= dict(capacity=rng.randint(10, 60), fee_type=fee, description=description)
        fields |= dict(start_date=start, end_date=start + timedelta(days=90))
        fields["fee_amount"] = None if fee == "free" else rng.choice([50, 120, 480])
        text = f"{title}\n{form}\n{description}"
        return fields, text, words | held | {form}, public and status != "draft", [form]
    if kind == "teacher":
        name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.randint(1, 2)))
        while (venue.pk, name) in taken:
            name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2))
        taken.add((venue.pk, name))
        levels, words = fill("{aud}启蒙、{aud2}提高", slots | {"aud2": rng.choice(list(AUDIENCES))})
        bio, held = paragraph(rng, BIO, slots, 20, 60)
        qualification = rng.choice(QUALIFICATIONS.split())
        fields |= dict(name=name, teaching_levels=levels, bio=bio, qualifications=qualification)
        text = f"{name}\n{form}\n{levels}\n{bio}\n{qualification}"
        return fields, text, words | held | {form}, public, [form]
    if kind == "programme":
        template, programme_kind = rng.choice(PROGRAMMES.split("|")).split()
        title, words = fill(template, slots)
        description, held = paragraph(rng, COURSE_TEXT, slots)
        performers, by = fill("{place}{art}艺术团", slots)
        fields |= dict(title=title, kind=programme_kind, art_form_id=forms[form])
        fields |= dict(description=description, performers=performers)
        text = f"{title}\n{form}\n{description}\n{performers}"
        return fields, text, words | held | by | {form}, public, [form]
    item, category, label = rng.choice(HERITAGE)
    slots |= {"item": item, "inheritor": rng.choice(INHERITORS.split())}
    name, words = fill("{place}{item}", slots)
    description, held = paragraph(rng, HERITAGE_TEXT, slots, 20, 80)
    label_text, in_label = fill("{label}", {"label": label})
    level = rng.choice(["national", "provincial", "municipal", "county"])
    fields |= dict(name=name, category=category, level=level, description=description)
    text = f"{name}\n{label_text}\n{description}"
    return fields, text, words | held | in_label, public, []


def build_corpus(total, seed=2026):
    """Write `total` entries with bulk_create (no signals, no index updates); return the ground
    truth {"real" | "accidental": {word query: {(kind, pk)}}} over publicly findable entries."""
    from django.db import transaction

    from resources.models import ArtForm, Course, HeritageItem, Programme, Teacher
    from search.models import PendingUpdate

    models = dict(zip(KINDS, (Course, Teacher, Programme, HeritageItem), strict=True))
    rng, venues = random.Random(seed), make_network()
    forms = {form: ArtForm.objects.get_or_create(name=form)[0].pk for _art, form, *_c in ARTS}
    truth, counts, taken = {"real": {}, "accidental": {}}, dict.fromkeys(KINDS, 0), set()
    for start in range(0, total, BATCH):
        batch = {kind: [] for kind in KINDS}
        for _ in range(min(BATCH, total - start)):
            kind = rng.choices(list(KINDS), list(KINDS.values()))[0]
            venue, _weight, places = rng.choices(venues, [v[1] for v in venues])[0]
            batch[kind].append(entry(rng, kind, venue, places, forms, taken))
        with transaction.atomic():
            for kind, rows in batch.items():
                objects = models[kind].objects.bulk_create([models[kind](**r[0]) for r in rows])
                counts[kind] += len(objects)
                if kind == "teacher":  # a teacher's art forms are part of the document
                    link = Teacher.art_forms.through
                    link.objects.bulk_create(
                        link(teacher_id=o.pk, artform_id=forms[f])
                        for o, row in zip(objects, rows, strict=True)
                        for f in row[4]
                    )
                for obj, (_fields, text, words, public, _forms) in zip(objects, rows, strict=True):
                    for query in QUERIES["word"] if public else ():
                        holds = "real" if query in words else "accidental" if query in text else ""
                        if holds:
                            truth[holds].setdefault(query, set()).add((kind, obj.pk))
    PendingUpdate.objects.all().delete()  # the venues' own pages: the rebuild indexes them
    return truth, counts, len(venues)


def percentile(samples, p):
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def raw_search(connection):
    """The baseline: the AND tier as bare SQL, the 20 best by the engine's ranking and the count."""
    from search.backends.database import FTS5_WEIGHTS, FTS_TABLE, PG_WEIGHTS, TABLE

    if connection.vendor == "postgresql":
        rank = f"ts_rank('{PG_WEIGHTS}', tsv, %s::tsquery)"
        top = f"SELECT id, {rank} FROM {TABLE} WHERE tsv @@ %s::tsquery ORDER BY 2 DESC LIMIT 20"
        count, marks = f"SELECT count(*) FROM {TABLE} WHERE tsv @@ %s::tsquery", 2
    else:
        match = f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
        top = f"SELECT rowid, bm25({FTS_TABLE}, {FTS5_WEIGHTS}) {match} ORDER BY 2 LIMIT 20"
        count, marks = f"SELECT count(*) {match}", 1

    def run(compiled):
        with connection.cursor() as cursor:
            cursor.execute(top, [compiled] * marks)
            cursor.fetchall()
            cursor.execute(count, [compiled])
            return cursor.fetchone()[0]

    return run


def measure(connection, generation, runs):
    """{query: {variant: [ms, ...]}}: every variant of every query once per run, after a warm-up."""
    from django.test import override_settings

    from search import query as compiler
    from search import services
    from search.backends import get_backend
    from search.backends.base import SearchRequest

    backend, raw = get_backend(), raw_search(connection)

    def cold(q):
        with override_settings(SEARCH_RESULT_CACHE_SECONDS=0):
            return services.search(q, page_size=20)

    compile_ = compiler.to_tsquery if connection.vendor == "postgresql" else compiler.to_fts5
    calls = {}
    for query in (q for group in QUERIES.values() for q in group):
        parsed = compiler.parse(query, *services.query_context())  # as the service parses
        compiled = compile_(parsed)
        calls[query] = {
            "raw SQL (AND tier: top 20 + count)": lambda c=compiled: raw(c),
            "backend, no facets": lambda p=parsed: backend.search(
                SearchRequest(p, facets=False), generation
            ),
            "backend, with facets": lambda p=parsed: backend.search(SearchRequest(p), generation),
            "service, repeated (result cache)": lambda q=query: services.search(q, page_size=20),
            "service (search.services.search)": lambda q=query: cold(q),
        }
    timings = {query: {name: [] for name in variants} for query, variants in calls.items()}
    for run in range(runs + 1):  # run 0 warms the caches up and is not counted
        for query, variants in calls.items():
            for name, call in variants.items():
                started = time.perf_counter()
                call()
                if run:
                    timings[query][name].append((time.perf_counter() - started) * 1000)
    return timings


def quality(truth, generation):
    """{word query: (recall, real matches, accidental holders, accidental ones ranked above the
    last real match)} over every hit of the query (the backend without a page limit)."""
    from search.backends import get_backend
    from search.backends.base import SearchRequest
    from search.query import parse
    from search.services import query_context

    backend, found = get_backend(), {}
    for query in QUERIES["word"]:
        parsed = parse(query, *query_context())
        count = backend.search(SearchRequest(parsed, limit=1, facets=False), generation).count
        hits = backend.search(SearchRequest(parsed, limit=max(count, 1), facets=False), generation)
        rank = {(h.fields["kind"], h.fields["object_id"]): i for i, h in enumerate(hits.hits)}
        real, accidental = truth["real"].get(query, set()), truth["accidental"].get(query, set())
        last_real = max((rank[k] for k in real if k in rank), default=-1)
        above = sum(1 for k in accidental if rank.get(k, math.inf) < last_real)
        recall = sum(1 for k in real if k in rank) / len(real) if real else 1.0
        found[query] = (recall, len(real), len(accidental), above)
    return found


def report(timings, hits, found):
    names = list(next(iter(timings.values())))
    raw, service = names[0], names[-1]
    pooled = {n: [ms for t in timings.values() for ms in t[n]] for n in names}
    runs = len(pooled[raw]) // len(timings)
    print(f"  latency over {len(timings)} queries x {runs} runs (ms)    p50     p95     max")
    for name, samples in pooled.items():
        figures = (percentile(samples, 50), percentile(samples, 95), max(samples))
        print(f"    {name:38}" + "".join(f"{f:8.1f}" for f in figures))
    p50, p95 = (percentile(pooled[service], p) for p in (50, 95))
    ratios = [percentile(pooled[service], p) / percentile(pooled[raw], p) for p in (50, 95)]
    print(f"    ratio service / raw SQL: p50 {ratios[0]:.1f}x, p95 {ratios[1]:.1f}x")
    print("  by group: service p50 p95 | raw SQL p50 p95 (ms)")
    for group, queries in QUERIES.items():
        figures = [
            percentile([ms for q in queries for ms in timings[q][name]], p)
            for name in (service, raw)
            for p in (50, 95)
        ]
        print(
            f"    {group:12}{figures[0]:7.1f}{figures[1]:7.1f} |{figures[2]:7.1f}{figures[3]:7.1f}"
        )
    print(
        "  slowest queries, medians (ms): service | raw SQL | no facets | with facets | "
        "repeated (cached) | hits"
    )
    median = {q: [percentile(t[n], 50) for n in names] for q, t in timings.items()}
    for query in sorted(median, key=lambda q: -median[q][-1])[:12]:
        m, (count, relaxed) = median[query], hits[query]
        print(
            f"    {m[-1]:7.1f} |{m[0]:7.1f} |{m[1]:7.1f} |{m[2]:7.1f} |{m[3]:7.1f} |"
            f"{count:7,}  {query}" + ("  (relaxed tier)" if relaxed else "")
        )

    recalls = {q: f[0] for q, f in found.items() if f[1]}
    worst = min(recalls, key=recalls.get)
    real_total = sum(f[1] for f in found.values())
    overall = sum(f[0] * f[1] for f in found.values()) / real_total
    print(
        f"  recall of {len(recalls)} word queries: lowest {recalls[worst]:.3f} ({worst}); "
        f"{overall:.4f} of all {real_total:,} real matches"
    )
    holders = {q: f for q, f in found.items() if f[2]}
    print("  accidental holders: " + ", ".join(f"{q} {f[2]}" for q, f in holders.items()))
    above = [f"{q} {f[3]} of {f[2]}" for q, f in holders.items() if f[3]]
    print(
        f"  queries whose accidental holders all rank below every real match: "
        f"{len(holders) - len(above)}/{len(holders)}"
        + (f" (ranked above the last real match: {', '.join(above)})" if above else "")
    )
    cached_p95 = percentile(pooled[names[-2]], 95)
    for label, passed in (
        (f"service p95 {p95:.1f} ms < {GOAL_MS} ms (cold: no result cache)", p95 < GOAL_MS),
        (
            f"repeated queries p95 {cached_p95:.1f} ms < {GOAL_MS} ms (result cache)",
            cached_p95 < GOAL_MS,
        ),
        (f"service/raw {ratios[0]:.1f}x p50, {ratios[1]:.1f}x p95 < 2x", max(ratios) < GOAL_RATIO),
        (f"recall >= {GOAL_RECALL} for every word query", recalls[worst] >= GOAL_RECALL),
    ):
        print(f"  {'PASS' if passed else 'MISS'}: {label}")


def bench(args, connection):
    from bench_import import rss_mb

    from search import services
    from search.models import IndexState
    from search.rebuild import rebuild

    pg = connection.vendor == "postgresql"
    started = time.perf_counter()
    truth, counts, venues = build_corpus(args.entries)
    corpus_seconds, rss_corpus = time.perf_counter() - started, rss_mb()
    started = time.perf_counter()
    written = rebuild(progress=False)
    build_seconds, rss_build = time.perf_counter() - started, rss_mb()
    with connection.cursor() as cursor:
        # PostgreSQL: VACUUM also merges the GIN index's pending list, as autovacuum soon would.
        cursor.execute("VACUUM ANALYZE search_searchdocument" if pg else "ANALYZE")
    generation = IndexState.current().active
    engine = "PostgreSQL" if pg else "SQLite " + connection.Database.sqlite_version
    print(f"== {engine}: {sum(counts.values()):,} catalogue entries, {venues} venues ==")
    kinds = ", ".join(f"{kind} {n:,}" for kind, n in counts.items())
    print(f"  {kinds}; written in {corpus_seconds:.1f} s")
    print(
        f"  index build: {written:,} documents in {build_seconds:.1f} s = "
        f"{written / build_seconds:,.0f} docs/s; peak RSS {rss_corpus:.0f} MB before, "
        f"{rss_build:.0f} MB after"
    )
    load = os.getloadavg()[0]
    timings = measure(connection, generation, args.runs)
    after = os.getloadavg()[0]
    print(f"  load average {load:.1f} before the queries, {after:.1f} after; {os.cpu_count()} CPUs")
    hits = {}
    for query in timings:
        page = services.search(query)
        hits[query] = (page.count, page.relaxed)
    report(timings, hits, quality(truth, generation))
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each query")
    parser.add_argument("--here", action="store_true", help="only the database of this environment")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL") and not args.here:
        # Each database in a fresh child of this small process: a process inherits its parent's
        # peak RSS (ru_maxrss survives fork and exec), so a child of the SQLite run would not.
        for env in (os.environ, {**os.environ, "DATABASE_URL": PG_URL}):
            child = subprocess.run([sys.executable, __file__, *sys.argv[1:], "--here"], env=env)
            if child.returncode:
                return child.returncode
        return 0
    from bench_import import setup_django

    with tempfile.TemporaryDirectory() as tmp:
        connection, old_name = setup_django(Path(tmp))
        from django.conf import settings

        settings.SEARCH_RESULT_CACHE_SECONDS = 60  # as in production (test settings turn it off)
        try:
            return bench(args, connection)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
