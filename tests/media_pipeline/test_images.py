"""Images through Wagtail's image pipeline: WebP and AVIF renditions at a few widths, never
upscaled, upright, counted in the quota and removed with the asset; a broken image fails with
a reason in Chinese."""

import io

import pytest
from PIL import ExifTags, Image, ImageDraw, features

from media_pipeline import profiles, quota
from media_pipeline.models import AssetRendition, RenditionKind, Status
from media_pipeline.processing import process
from tests.resources.factories import make_asset

from . import media

pytestmark = pytest.mark.django_db

FORMATS = {"webp": "WEBP", "avif": "AVIF"}


def picture(width, height, image_format="JPEG", **options):
    """A photo-like picture: a gradient with a few shapes."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(image)
    draw.ellipse((width // 4, height // 4, width // 2, height // 2), fill=(200, 40, 40))
    draw.rectangle((width // 2, height // 2, width - 5, height - 5), fill=(40, 40, 200))
    out = io.BytesIO()
    image.save(out, image_format, **options)
    return out.getvalue()


def image_asset(owner, content, filename="photo.jpg"):
    content_type = "image/png" if filename.endswith(".png") else "image/jpeg"
    return make_asset(
        owner, content=content, filename=filename, kind="image", content_type=content_type
    )


def decoded(rendition, tmp_path):
    """(Pillow format, size) of the stored rendition, decoded whole."""
    data = media.fetch(rendition.path, tmp_path).read_bytes()
    assert len(data) == rendition.size
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        return image.format, image.size


def renditions_of(row):
    return {r.name: r for r in row.renditions.all()}


def test_an_image_gets_webp_and_avif_renditions_at_each_width(
    owner, local_storage, tmp_path, django_capture_on_commit_callbacks
):
    assert features.check("avif")  # this machine's Pillow writes AVIF: both formats are tested
    asset = image_asset(owner, picture(2000, 1200))
    row = process(asset)
    assert row.status == Status.READY, row.error
    assert (row.width, row.height, row.progress) == (2000, 1200, 100)

    made = renditions_of(row)
    heights = {480: 288, 960: 576, 1600: 960}  # the aspect ratio kept
    assert set(made) == {f"{fmt}-{width}" for fmt in FORMATS for width in heights}
    for fmt, pillow_format in FORMATS.items():
        for width, height in heights.items():
            rendition = made[f"{fmt}-{width}"]
            assert rendition.kind == RenditionKind.IMAGE
            assert rendition.path == f"{row.output_prefix}{width}.{fmt}"
            assert (rendition.width, rendition.height) == (width, height)
            assert decoded(rendition, tmp_path / fmt) == (pillow_format, (width, height))

    # The renditions count in the venue's quota, and go with the asset (rows and files).
    renditions_bytes = sum(r.size for r in made.values())
    assert quota.stored_bytes(owner) == asset.file_size + renditions_bytes
    with django_capture_on_commit_callbacks(execute=True):
        asset.delete()
    assert not AssetRendition.objects.exists()
    assert media.stored_files() == []


def test_a_tiny_image_is_not_upscaled(owner, local_storage, tmp_path):
    row = process(image_asset(owner, picture(40, 30, "PNG"), filename="icon.png"))
    assert row.status == Status.READY, row.error
    made = renditions_of(row)
    assert set(made) == {"webp-40", "avif-40"}
    for fmt, pillow_format in FORMATS.items():
        assert decoded(made[f"{fmt}-40"], tmp_path / fmt) == (pillow_format, (40, 30))


def test_a_phone_photo_is_turned_upright_and_loses_its_exif(owner, local_storage, tmp_path):
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # stored landscape, shown turned a quarter
    exif[ExifTags.Base.Make] = "某品牌手机"
    row = process(image_asset(owner, picture(1600, 1000, exif=exif)))
    assert row.status == Status.READY, row.error
    assert (row.width, row.height) == (1000, 1600)
    made = renditions_of(row)
    assert set(made) == {"webp-480", "webp-960", "avif-480", "avif-960"}
    rendition = made["webp-960"]
    assert (rendition.width, rendition.height) == (960, 1536)
    data = media.fetch(rendition.path, tmp_path).read_bytes()
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (960, 1536)
        assert not image.getexif()
    assert "某品牌手机".encode() not in data


def test_without_avif_in_pillow_only_webp_is_made(owner, local_storage, monkeypatch):
    real_check = features.check
    monkeypatch.setattr(features, "check", lambda name: name != "avif" and real_check(name))
    assert profiles.image_formats() == ["webp"]
    row = process(image_asset(owner, picture(600, 400)))
    assert row.status == Status.READY, row.error
    assert set(renditions_of(row)) == {"webp-480"}


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("broken.png", b"\x89PNG\r\n\x1a\n" + bytes(200)),
        ("cut.jpg", picture(800, 600)[:1500]),  # a transfer that stopped part-way
    ],
)
def test_a_corrupt_image_fails_with_a_chinese_reason(owner, local_storage, filename, content):
    row = process(image_asset(owner, content, filename=filename))
    assert row.status == Status.FAILED
    assert row.error == "图片文件已损坏或无法识别。"
    assert not row.renditions.exists()
    assert media.stored_files() == []  # nothing of the run stays in storage
