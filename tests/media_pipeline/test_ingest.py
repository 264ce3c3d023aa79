"""manage.py ingest_media: folders become Wagtail collections under the venue's, duplicates are
skipped, bad files are reported without stopping the run, and a failure leaves nothing behind."""

import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from PIL import Image
from wagtail.models import Collection

from media_pipeline.models import AssetProcessing, Status
from media_pipeline.upload_models import StorageQuota
from resources.models import MediaAsset

from . import media

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(tmp_path, clips):
    """老档案/ with a video two folders down, a song, a leaflet, a copy of the video (walked
    after it: paths are taken in sorted order), and junk."""
    root = tmp_path / "老档案"
    (root / "戏曲" / "花鼓戏").mkdir(parents=True)
    shutil.copy(clips["small"], root / "戏曲" / "花鼓戏" / "刘海砍樵.mp4")
    shutil.copy(clips["tone"], root / "戏曲" / "唱腔.mp3")
    shutil.copy(clips["pdf"], root / "节目单.pdf")
    shutil.copy(clips["small"], root / "重复的刘海砍樵.mp4")
    (root / "病毒.mp4").write_bytes(b"MZ\x90\x00" + b"\x00" * 4096)  # a renamed executable
    (root / "空白.mp3").write_bytes(b"")
    (root / "说明.txt").write_text("目录说明")
    (root / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    return root


def ingest(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("ingest_media", *map(str, args), stdout=out, stderr=err)
        failed = None
    except CommandError as error:
        failed = str(error)
    return out.getvalue(), failed


def stored_originals():
    return [name for name in media.stored_files("assets")]


def folder_of(asset):
    """The asset's collection as a path below its venue's collection, e.g. "2019 汇演/戏曲"."""
    venue_depth = Collection.objects.get(pk=asset.owner.collection_id).depth
    levels = asset.collection.get_ancestors(inclusive=True).filter(depth__gt=venue_depth)
    return "/".join(level.name for level in levels)


def collections_under(venue):
    """{path below the venue's collection: pk} of the collections there (its branches' own
    collections, which also sit below it, left out)."""
    top = Collection.objects.get(pk=venue.collection_id)
    found = {top.pk: ""}
    for collection in top.get_descendants().filter(venue__isnull=True).order_by("path"):
        parent = found.get(collection.get_parent().pk)
        if parent is not None:
            found[collection.pk] = f"{parent}/{collection.name}".lstrip("/")
    return {path: pk for pk, path in found.items() if path}


def save_picture(path, colour):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (40, 30), colour).save(path)


def test_a_folder_is_ingested_with_each_outcome_reported(network, local_storage, archive):
    output, failed = ingest(archive, "--venue", "liling-main", "--collection", "2019 汇演")
    lines = output.splitlines()
    assert "新增：老档案/戏曲/花鼓戏/刘海砍樵.mp4（视频，编号" in output
    assert "新增：老档案/戏曲/唱腔.mp3（音频" in output and "已排队处理" in output
    assert "新增：老档案/节目单.pdf（文档" in output
    assert any(
        line.startswith("重复跳过：老档案/重复的刘海砍樵.mp4（与已有资源“刘海砍樵”")
        for line in lines
    )
    assert any(line.startswith("失败：老档案/病毒.mp4：文件内容与扩展名不符") for line in lines)
    assert "失败：老档案/空白.mp3：文件是空的。" in lines
    assert "失败：老档案/说明.txt：不支持的文件类型“.txt”。" in lines
    assert ".DS_Store" not in output
    assert lines[-1] == "共 7 个文件：新增 3 个，重复跳过 1 个，失败 3 个。"
    assert failed == "有 3 个文件导入失败，原因见上。"

    assets = {asset.title: asset for asset in MediaAsset.objects.filter(owner=network["liling"])}
    assert set(assets) == {"刘海砍樵", "唱腔", "节目单"}
    video = assets["刘海砍樵"]
    assert (video.kind, video.content_type, video.visibility) == ("video", "video/mp4", "public")
    assert video.sha256 and video.file_size == clips_size(archive)
    assert folder_of(video) == "2019 汇演/戏曲/花鼓戏"
    assert folder_of(assets["唱腔"]) == "2019 汇演/戏曲"
    assert folder_of(assets["节目单"]) == "2019 汇演"
    assert not video.tags.exists()  # the collection is where folders go, not tags
    # Only the folders that received a file became collections.
    assert set(collections_under(network["liling"])) == {
        "2019 汇演",
        "2019 汇演/戏曲",
        "2019 汇演/戏曲/花鼓戏",
    }
    # Only what was added is stored, and each is waiting for the pipeline.
    assert len(stored_originals()) == 3
    assert set(AssetProcessing.objects.values_list("status", flat=True)) == {Status.PENDING}


def clips_size(archive):
    return (archive / "戏曲" / "花鼓戏" / "刘海砍樵.mp4").stat().st_size


def test_running_again_skips_everything_already_stored(network, local_storage, archive, clips):
    ingest(archive / "戏曲", "--venue", "liling-main")
    output, failed = ingest(archive / "戏曲", clips["pdf"], "--venue", "liling-main")
    assert failed is None
    assert output.count("重复跳过：") == 2
    assert f"新增：{clips['pdf']}（文档" in output  # a file is shown as given
    assert output.splitlines()[-1] == "共 3 个文件：新增 1 个，重复跳过 2 个，失败 0 个。"
    assert MediaAsset.objects.count() == 3


def test_ingesting_the_tree_again_reuses_its_collections(network, local_storage, archive):
    ingest(archive, "--venue", "liling-main", "--collection", "2019 汇演")
    before = collections_under(network["liling"])
    video = MediaAsset.objects.get(title="刘海砍樵")
    # New files next to old ones, and a new folder beside existing ones.
    save_picture(archive / "戏曲" / "花鼓戏" / "剧照.png", (200, 30, 30))
    save_picture(archive / "戏曲" / "皮影" / "影人.png", (30, 30, 200))
    save_picture(archive / "合影.png", (30, 200, 30))

    output, _failed = ingest(archive, "--venue", "liling-main", "--collection", "2019 汇演")
    assert output.splitlines()[-1] == "共 10 个文件：新增 3 个，重复跳过 4 个，失败 3 个。"
    after = collections_under(network["liling"])
    assert after == {**before, "2019 汇演/戏曲/皮影": after["2019 汇演/戏曲/皮影"]}
    still = MediaAsset.objects.get(title="剧照")
    assert still.collection_id == video.collection_id == before["2019 汇演/戏曲/花鼓戏"]
    assert MediaAsset.objects.get(title="影人").collection_id == after["2019 汇演/戏曲/皮影"]
    assert MediaAsset.objects.get(title="合影").collection_id == before["2019 汇演"]
    # treebeard's own consistency check of the tree that was added to twice.
    assert all(not problems for problems in Collection.find_problems())


def test_without_a_collection_name_folders_go_under_the_venues_own(network, local_storage, archive):
    # Owner-only there, or the second venue would skip them as duplicates.
    ingest(archive / "戏曲", "--venue", "youxian-main", "--visibility", "owner")
    song = MediaAsset.objects.get(title="唱腔")
    assert song.collection_id == network["youxian"].collection_id  # top-level files
    assert folder_of(MediaAsset.objects.get(title="刘海砍樵")) == "花鼓戏"
    # Another venue's folders of the same name are its own.
    ingest(archive / "戏曲", "--venue", "liling-main")
    assert set(collections_under(network["liling"])) == {"花鼓戏"}
    theirs = collections_under(network["youxian"])["花鼓戏"]
    assert collections_under(network["liling"])["花鼓戏"] != theirs


def test_another_venues_owner_only_copy_is_not_a_duplicate(network, local_storage, clips):
    ingest(clips["tone"], "--venue", "youxian-main", "--visibility", "owner")
    output, failed = ingest(clips["tone"], "--venue", "liling-main")
    assert failed is None and output.startswith(f"新增：{clips['tone']}")
    assert MediaAsset.objects.filter(sha256=MediaAsset.objects.first().sha256).count() == 2
    assert set(MediaAsset.objects.values_list("visibility", flat=True)) == {"owner", "public"}


def test_a_failure_while_saving_leaves_neither_row_nor_file_nor_collection(
    network, local_storage, clips, monkeypatch, tmp_path
):
    def broken_save(self, *args, **kwargs):
        raise RuntimeError("database went away")

    collections = Collection.objects.count()
    folder = tmp_path / "汇演" / "戏曲"
    folder.mkdir(parents=True)
    shutil.copy(clips["tone"], folder / "唱腔.mp3")
    monkeypatch.setattr(MediaAsset, "save", broken_save)
    output, failed = ingest(tmp_path / "汇演", "--venue", "liling-main", "--collection", "新")
    assert "失败：" in output and "保存时出错（RuntimeError），未留下任何数据。" in output
    assert failed
    assert stored_originals() == []
    monkeypatch.undo()
    assert MediaAsset.objects.count() == 0
    assert Collection.objects.count() == collections  # the file's collections went with it


def test_the_venue_quota_is_respected(network, local_storage, clips):
    StorageQuota.objects.create(venue=network["liling"], limit_gb=0)
    output, failed = ingest(clips["tone"], "--venue", "liling-main")
    assert f"失败：{clips['tone']}：存储空间不足" in output
    assert stored_originals() == [] and MediaAsset.objects.count() == 0


def test_unknown_venue_and_missing_paths(network, local_storage, tmp_path, clips):
    with pytest.raises(CommandError, match="找不到编号为“nowhere”的场馆。"):
        call_command("ingest_media", str(clips["tone"]), "--venue", "nowhere", stdout=StringIO())
    output, failed = ingest(tmp_path / "不存在.mp4", clips["tone"], "--venue", "liling-main")
    assert f"失败：{tmp_path / '不存在.mp4'}：文件不存在。" in output
    assert f"新增：{clips['tone']}" in output
    assert failed == "有 1 个文件导入失败，原因见上。"
