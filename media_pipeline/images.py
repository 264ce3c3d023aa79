"""Images: WebP renditions (and AVIF where Pillow writes it) at profiles.IMAGE_WIDTHS, made by
Wagtail's image pipeline.

Each rendition is a Wagtail filter spec (`width-960|format-webp`) run by wagtail.images' Filter,
the code behind every Wagtail rendition: Willow, the EXIF orientation applied, `width-N` never
upscaling, WAGTAILIMAGES_WEBP_QUALITY / WAGTAILIMAGES_AVIF_QUALITY; no EXIF (GPS, device) is
written out. It reads the asset's own stored file, with an unsaved wagtailimages Image standing
in for its size. No Image row is made: it would copy the original into Wagtail's image storage,
or, pointed at the asset's file, delete that file when removed from the image library; and its
renditions would be Wagtail's rows, outside the venue's quota and left when the asset goes.
These are AssetRendition rows like every other rendition: counted in the quota, served by
/stream, deleted with the asset.
"""

import warnings

from django.utils.translation import gettext as _
from PIL import ExifTags, Image, UnidentifiedImageError
from wagtail.images import get_image_model
from wagtail.images.models import Filter

from resources.uploads import apply_pillow_limit

from . import profiles
from .errors import ProcessingError
from .models import RenditionKind

QUARTER_TURNS = {5, 6, 7, 8}  # EXIF orientations that swap width and height


def inspect_image(path):
    """The image's (width, height) as shown (EXIF orientation applied). Decodes it whole, so a
    truncated or corrupt file fails here with the editor's reason, before any rendition."""
    apply_pillow_limit()
    try:
        with warnings.catch_warnings():
            # As for uploads: between Pillow's pixel limit and twice it Pillow only warns.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                image.load()
                width, height = image.size
                turned = image.getexif().get(ExifTags.Base.Orientation) in QUARTER_TURNS
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ProcessingError(
            _("图片像素过多，可能是恶意构造的“解压炸弹”图片，已拒绝处理。")
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ProcessingError(_("图片文件已损坏或无法识别。")) from exc
    return (height, width) if turned else (width, height)


def render(source, spec, size, output):
    """Run the Wagtail filter `spec` on the image file `source` into `output`; returns the
    rendition's (width, height)."""
    stand_in = get_image_model()(
        width=size[0], height=size[1], file=source.name, collection_id=None
    )
    with open(source, "rb") as handle, open(output, "wb") as target:
        Filter(spec).run(stand_in, target, source=handle)
    with Image.open(output) as made:
        return made.size


def process_image(run, source):
    width, height = inspect_image(source)
    run.save_metadata(width=width, height=height)
    wanted = [
        (image_format, size)
        for image_format in profiles.image_formats()
        for size in profiles.image_widths_for(width)
    ]
    renditions = []
    for done, (image_format, size) in enumerate(wanted, start=1):
        relative = f"{size}.{image_format}"
        output = run.work_dir / relative
        made = render(source, f"width-{size}|format-{image_format}", (width, height), output)
        stored = run.upload(output, relative)
        output.unlink()
        renditions.append(
            {
                "kind": RenditionKind.IMAGE,
                "name": f"{image_format}-{size}",
                "path": run.name(relative),
                "width": made[0],
                "height": made[1],
                "size": stored,
            }
        )
        run.progress(0.05 + 0.9 * done / len(wanted))
    return renditions
