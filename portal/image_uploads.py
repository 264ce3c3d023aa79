"""Wagtail's image form, hardened (WAGTAILIMAGES_IMAGE_FORM_BASE).

Wagtail's WagtailImageField decodes the upload with Willow/Pillow but only turns "not an image"
and decompression bombs into form errors: a truncated or corrupt JPEG/PNG raises OSError from
Pillow's decoder and the add view, the multiple-upload view and the chooser's upload answer 500.
CheckedImageField turns every decoding failure into a Chinese form error, and refuses an image
with too many pixels from its header, before Pillow decodes it.
"""

import struct
import zlib

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

# What Pillow raises on bytes it cannot decode (truncated data, broken chunks, bad headers).
DECODING_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error, zlib.error)


class CheckedImageField(WagtailImageField):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages["corrupt_image"] = _(
            "图片文件已损坏或不完整（可能上传中断），无法读取。请用图片软件重新导出后再上传。"
        )
        # Wagtail's own message shows an untranslated "unknown number" when Pillow refuses to
        # open the file, so the Chinese one names only the limit.
        self.error_messages["file_too_many_pixels"] = _(
            "图片像素过多，超过允许的 %(max_pixels_count)s 像素（可能是恶意构造的“解压炸弹”图片），"
            "已拒绝。请缩小尺寸后再上传。"
        )

    def to_python(self, data):
        try:
            self.check_header_pixels(data)
            return super().to_python(data)
        except DECODING_ERRORS as exc:
            raise ValidationError(
                self.error_messages["corrupt_image"], code="corrupt_image"
            ) from exc

    def check_header_pixels(self, data):
        """Refuse too many pixels from the header alone: Wagtail's own check decodes the whole
        image first (up to twice Pillow's limit, hundreds of MB for a crafted file)."""
        if self.max_image_pixels is None or not hasattr(data, "seek"):
            return
        try:
            with Image.open(data) as image:  # reads the header only
                width, height = image.size
        except (UnidentifiedImageError, Image.DecompressionBombError):
            width = height = None  # Wagtail's checks answer these with their own errors
        finally:
            data.seek(0)
        if width is not None and width * height > self.max_image_pixels:
            raise ValidationError(
                self.error_messages["file_too_many_pixels"]
                % {"max_pixels_count": self.max_image_pixels},
                code="file_too_many_pixels",
            )


class CheckedImageForm(BaseImageForm):
    """Wagtail's image form with CheckedImageField for the file (Wagtail builds the field in a
    formfield callback that settings cannot change, so it is swapped here)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if field is not None and not isinstance(field, CheckedImageField):
            self.fields["file"] = CheckedImageField(
                label=field.label, required=field.required, widget=field.widget
            )
