"""Documents: the page count and a first-page PNG preview of PDFs (other documents need none).

The page count is checked before anything is rendered: first the count the file declares
(cheap), then the real one. A first page beyond settings.MEDIA_PDF_MAX_PAGE_POINTS on a side
(PDF's own limit is 14,400 points, 200 inches) is refused as bomb-like: such pages exist to
exhaust the renderer. The preview is rendered at a fixed pixel size whatever the page size.
"""

from django.conf import settings
from django.utils.translation import gettext as _

from . import profiles
from .errors import ProcessingError
from .models import RenditionKind


def is_pdf(path):
    with open(path, "rb") as handle:
        return handle.read(1024).lstrip(b"\0\t\n\r\f ").startswith(b"%PDF-")


def corrupt():
    return ProcessingError(_("PDF 文件已损坏或无法解析。"))


def too_many_pages(count):
    limit = settings.MEDIA_PDF_MAX_PAGES
    return ProcessingError(
        _("PDF 共 %(count)s 页，超过允许的 %(limit)s 页上限，已拒绝处理。")
        % {"count": count, "limit": limit}
    )


def inspect_pdf(path):
    """(page count, first page's (width, height) in points); ProcessingError when refused."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    limit = settings.MEDIA_PDF_MAX_PAGES
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ProcessingError(_("PDF 文件已加密（需要密码），无法生成预览。"))
        declared = int(reader.root_object["/Pages"]["/Count"])
        if declared > limit:
            raise too_many_pages(declared)
        count = len(reader.pages)
        if count > limit:
            raise too_many_pages(count)
        if count == 0:
            raise ProcessingError(_("PDF 文件中没有任何页面。"))
        page = reader.pages[0]
        unit = float(page.get("/UserUnit", 1))
        size = (float(page.mediabox.width) * unit, float(page.mediabox.height) * unit)
    except (DependencyError, FileNotDecryptedError) as exc:
        raise ProcessingError(_("PDF 文件已加密（需要密码），无法生成预览。")) from exc
    except ProcessingError:
        raise
    except Exception as exc:  # pypdf parses hostile input in pure Python: anything can break
        raise corrupt() from exc
    largest = settings.MEDIA_PDF_MAX_PAGE_POINTS
    if max(size) > largest or min(size) <= 0:
        raise ProcessingError(
            _(
                "PDF 第一页尺寸异常（%(width).0f×%(height).0f 点，上限为每边 %(limit)s 点），可能是恶意构造的文件，已拒绝处理。"
            )
            % {"width": size[0], "height": size[1], "limit": largest}
        )
    return count, size


def render_first_page(path, output):
    """Render page 1 with its longer side PDF_PREVIEW_LONG_SIDE pixels; returns (w, h)."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(str(path))
        try:
            page = document[0]
            scale = profiles.PDF_PREVIEW_LONG_SIDE / max(page.get_size())
            image = page.render(scale=scale).to_pil()
        finally:
            document.close()
    except pypdfium2.PdfiumError as exc:
        raise corrupt() from exc
    image.save(output, "PNG", optimize=True)
    return image.size


def process_document(run, source):
    if not is_pdf(source):
        return []
    count, _points = inspect_pdf(source)
    run.save_metadata(page_count=count)
    run.progress(0.3)
    output = run.work_dir / "preview.png"
    width, height = render_first_page(source, output)
    size = run.upload(output, "preview.png")
    return [
        {
            "kind": RenditionKind.PDF_PREVIEW,
            "name": "page-1",
            "path": run.name("preview.png"),
            "width": width,
            "height": height,
            "size": size,
        }
    ]
