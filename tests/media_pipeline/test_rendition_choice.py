"""保留的清晰度 on the media asset form: editors choose the rungs of a video; a changed choice is
stored and the video processed again, once, keeping only those rungs."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from media_pipeline.models import AssetProcessing, RenditionKind, Status
from media_pipeline.processing import process
from tests.factories import editor_of

from . import media
from .test_tasks import processing_enqueued
from .test_video import renditions_by_kind

pytestmark = pytest.mark.django_db

FIELD = "保留的清晰度"


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    """A short 720p video: rungs 360p and 720p."""
    return media.make_clip(
        tmp_path_factory.mktemp("choice") / "排练.mp4", seconds=2, size="1280x720"
    )


def edit_url(asset):
    return reverse("wagtailsnippets_resources_mediaasset:edit", args=[asset.pk])


ADD_URL = reverse("wagtailsnippets_resources_mediaasset:add")


def form_data(asset=None, **changes):
    """What the edit form posts for `asset` unchanged (no new file), with `changes`."""
    data = {"title": "排练", "kind": "video", "owner": "", "visibility": "public"}
    if asset is not None:
        data |= {"title": asset.title, "kind": asset.kind, "owner": asset.owner_id}
    data |= {"description": "", "tags": "", "licence": "", "art_form": "", "collection": ""}
    return data | changes


def checked(html, value):
    """Whether the form's checkbox of `value` is ticked."""
    tag = html.split(f'name="renditions_wanted" value="{value}"')[1].split(">")[0]
    return " checked" in tag


def variant_names(row):
    return [variant.name for variant in renditions_by_kind(row)[RenditionKind.HLS_VARIANT]]


@pytest.fixture
def editor(client, owner):
    client.force_login(editor_of(owner))
    return client


def test_the_field_lists_the_ladder_for_videos_only(editor, owner, local_storage, clips):
    video = media.store(owner, clips["small"], "video")
    AssetProcessing.objects.filter(asset=video).update(renditions_wanted=["360p"])
    html = editor.get(edit_url(video)).content.decode()
    assert FIELD in html
    for rung in ("360p", "720p", "1080p"):
        assert f'value="{rung}"' in html
    assert checked(html, "360p") and not checked(html, "720p")  # the stored choice

    audio = media.store(owner, clips["tone"], "audio")
    assert FIELD not in editor.get(edit_url(audio)).content.decode()
    assert FIELD in editor.get(ADD_URL).content.decode()  # the kind is chosen in that form


def test_a_changed_choice_requeues_once_and_keeps_only_those_rungs(
    editor, owner, local_storage, clip, django_capture_on_commit_callbacks
):
    asset = media.store(owner, clip, "video")
    first = process(asset)
    assert variant_names(first) == ["360p", "720p"], first.error

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = editor.post(edit_url(asset), form_data(asset, renditions_wanted=["360p"]))
    assert response.status_code == 302, response.content.decode()
    assert processing_enqueued(callbacks) == [asset.pk]
    row = AssetProcessing.objects.get(asset=asset)
    assert (row.status, row.renditions_wanted, row.attempts) == (Status.READY, ["360p"], 1)
    assert variant_names(row) == ["360p"]
    assert row.renditions.get(kind=RenditionKind.MP4).height == 360
    assert not media.stored_files(first.output_prefix.rstrip("/"))  # the old set is gone
    assert not any("720p" in name for name in media.stored_files())

    # Saving again without changing the choice (a title edit) keeps the renditions.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        editor.post(edit_url(asset), form_data(asset, title="新标题", renditions_wanted=["360p"]))
    assert processing_enqueued(callbacks) == []
    assert AssetProcessing.objects.get(asset=asset).output_prefix == row.output_prefix


def test_a_new_video_with_a_choice_is_processed_once_with_it(
    editor, owner, local_storage, clip, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("排练.mp4", clip.read_bytes(), content_type="video/mp4")
    data = form_data(owner=owner.pk, file=upload, renditions_wanted=["720p"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = editor.post(ADD_URL, data)
    assert response.status_code == 302, response.content.decode()
    row = AssetProcessing.objects.get()
    # The upload queued the asset; the choice joined that run instead of queueing another.
    assert processing_enqueued(callbacks) == [row.asset_id]
    assert (row.status, row.renditions_wanted, row.attempts) == (Status.READY, ["720p"], 1)
    assert variant_names(row) == ["720p"]


def test_a_choice_for_another_kind_is_refused(editor, owner, local_storage, clips):
    upload = SimpleUploadedFile("唱腔.mp3", clips["tone"].read_bytes(), content_type="audio/mpeg")
    data = form_data(owner=owner.pk, kind="audio", file=upload, renditions_wanted=["360p"])
    response = editor.post(ADD_URL, data)
    assert response.status_code == 200
    assert "只有视频可以选择保留的清晰度。" in response.content.decode()
    assert not AssetProcessing.objects.exists() and media.stored_files("assets") == []
