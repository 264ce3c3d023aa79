"""The index follows the data, retries failed updates, rebuilds without downtime, and learns
the hub's dictionary words."""

import pytest
from django.core.management import call_command

from search import analysis
from search.backends import get_backend
from search.indexing import apply_pending
from search.models import (
    DictionaryWord,
    IndexState,
    PendingUpdate,
    SearchDocument,
    SynonymGroup,
    ZeroResultQuery,
)
from search.services import search
from tests.resources.factories import make_course

pytestmark = pytest.mark.django_db


def _titles(q):
    return [r.title for r in search(q).results]


def test_saving_renaming_hiding_and_deleting_follow(network, index_now):
    course = make_course(network["hub"], status="open", title="湘绣入门")
    assert PendingUpdate.objects.count() >= 1  # owed in the same transaction as the save
    index_now()
    assert PendingUpdate.objects.count() == 0
    assert _titles("湘绣") == ["湘绣入门"]

    course.title = "湘绣针法提高"
    course.save()
    index_now()
    assert _titles("针法") == ["湘绣针法提高"] and _titles("入门") == []

    course.visibility = "owner"
    course.save()
    index_now()
    assert _titles("湘绣") == []

    course.visibility = "public"
    course.save()
    index_now()
    course.delete()
    index_now()
    assert _titles("湘绣") == []
    assert not SearchDocument.objects.filter(title="湘绣针法提高").exists()


def test_renaming_a_venue_reindexes_what_it_owns(network, index_now):
    make_course(network["youxian"], status="open", title="花鼓戏唱腔")
    index_now()
    youxian = network["youxian"]
    youxian.district = "攸县新区"
    youxian.save()
    index_now()
    assert search("花鼓戏").results[0].district == "攸县新区"


def test_a_failed_update_is_kept_and_retried(network, index_now, monkeypatch):
    backend = get_backend()
    index_now()
    make_course(network["hub"], status="open", title="剪纸艺术")

    def unavailable(*args, **kwargs):
        raise ConnectionError("search backend unavailable")

    monkeypatch.setattr(backend, "write", unavailable)
    with pytest.raises(ConnectionError):
        index_now()
    pending = PendingUpdate.objects.get()
    assert pending.attempts == 1 and "unavailable" in pending.last_error
    monkeypatch.undo()
    assert index_now() == 1
    assert _titles("剪纸") == ["剪纸艺术"] and not PendingUpdate.objects.exists()


def test_the_retry_task_reschedules_itself(network, monkeypatch):
    from search import indexing, tasks

    scheduled = []
    monkeypatch.setattr(indexing, "apply_pending", lambda: (_ for _ in ()).throw(OSError("down")))
    monkeypatch.setattr(indexing, "schedule_retry", scheduled.append)
    with pytest.raises(OSError):
        tasks.apply_pending_updates.call(2)
    assert scheduled == [2]
    assert indexing.retry_delay(0).total_seconds() == 60
    assert indexing.retry_delay(20).total_seconds() == 3600


def test_rebuild_switches_generations_and_keeps_answers(network, index_now):
    make_course(network["hub"], status="open", title="二胡演奏基础")
    index_now()
    before = IndexState.current().active
    call_command("rebuild_search_index", "--no-progress", "--skip-wagtail")
    state = IndexState.current()
    assert state.active == before + 1 and state.building is None
    assert set(SearchDocument.objects.values_list("generation", flat=True)) == {state.active}
    assert _titles("二胡") == ["二胡演奏基础"]


def test_updates_during_a_rebuild_reach_both_generations(network, index_now):
    state = IndexState.current()
    state.building = state.active + 1
    state.save()
    make_course(network["hub"], status="open", title="葫芦丝合奏")
    index_now()
    gens = set(
        SearchDocument.objects.filter(title="葫芦丝合奏").values_list("generation", flat=True)
    )
    assert gens == {state.active, state.active + 1}


def test_a_hub_dictionary_word_changes_segmentation_and_reindexes(network, index_now):
    make_course(network["hub"], status="open", title="渌口排龙舟比赛")
    index_now()
    assert "渌口排龙舟" not in analysis.words("渌口排龙舟比赛", for_search=False)
    DictionaryWord.objects.create(word="渌口排龙舟", frequency=50000)
    assert PendingUpdate.objects.exists()  # documents holding the word are re-analysed
    index_now()
    assert "渌口排龙舟" in analysis.words("渌口排龙舟比赛", for_search=False)
    assert _titles("渌口排龙舟") == ["渌口排龙舟比赛"]
    DictionaryWord.objects.all().delete()
    analysis.reload_dictionary()


def test_synonym_edits_apply_to_the_next_query(network, index_now):
    make_course(network["hub"], status="open", title="排舞健身")
    index_now()
    SynonymGroup.objects.filter(terms__contains="排舞").delete()
    assert _titles("广场舞") == []
    SynonymGroup.objects.create(terms="广场舞=排舞")
    assert _titles("广场舞") == ["排舞健身"]


def test_zero_result_queries_are_logged_for_the_hub(network):
    search("皮影戏")
    search("皮影戏")
    assert ZeroResultQuery.objects.get(query="皮影戏").count == 2
    search("")  # invalid queries are not logged
    assert ZeroResultQuery.objects.count() == 1


def test_public_search_page(client, small_catalogue):
    response = client.get("/search/", {"q": "书法"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "少儿书法培训班" in html and "<mark>书法</mark>" in html
    assert "醴陵馆内部书法备课" not in html
    assert "艺术门类" in html and "区县" in html
    response = client.get("/search/", {"q": "%%%"})
    assert response.status_code == 200
    assert "只有符号" in response.content.decode()


def test_pending_updates_survive_a_lost_task(network):
    """The outbox row is the record: even if no worker ever ran, the next run applies it."""
    make_course(network["hub"], status="open", title="太极拳晨练")
    assert apply_pending() >= 1  # no task was run in this test transaction
    assert _titles("太极拳") == ["太极拳晨练"]


def test_results_are_cached_until_the_index_changes(network, index_now, settings):
    from django.core.cache import cache

    settings.SEARCH_RESULT_CACHE_SECONDS = 60
    cache.clear()
    make_course(network["hub"], status="open", title="古筝入门")
    index_now()
    assert _titles("古筝") == ["古筝入门"]
    SearchDocument.objects.filter(title="古筝入门").update(title="（未经索引的改动）")
    assert _titles("古筝") == ["古筝入门"]  # served from the cache
    make_course(network["hub"], status="open", title="古筝提高")
    index_now()  # a new index version: the cache is bypassed
    assert set(_titles("古筝")) == {"古筝提高", "（未经索引的改动）"}
    cache.clear()


def test_long_venue_codes_and_names_fit(index_now, network):
    from network.models import Venue

    longest = Venue._meta.get_field("code").max_length
    venue = network["hub"]
    Venue.objects.filter(pk=venue.pk).update(code="h" * longest, name="株" * 120)
    make_course(Venue.objects.get(pk=venue.pk), status="open", title="长代码场馆的课程")
    index_now()
    assert _titles("长代码") == ["长代码场馆的课程"]
