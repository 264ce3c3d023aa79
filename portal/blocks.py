from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("小标题"), form_classname="title")
    paragraph = blocks.RichTextBlock(
        label=_("正文"), features=["bold", "italic", "link", "ol", "ul", "document-link"]
    )
    image = ImageBlock(label=_("图片"))
    quote = blocks.BlockQuoteBlock(label=_("引文"))
    document = DocumentChooserBlock(label=_("附件"))

    class Meta:
        label = _("正文内容")
