"""Wagtail's document form, hardened (WAGTAILDOCS_DOCUMENT_FORM_BASE).

Wagtail checks a document's extension only, so a renamed executable, HTML or SVG page is stored
and later served as "report.pdf". Here the upload's bytes are sniffed with `filetype` (magic
numbers) and must agree with its extension; the extensions allowed are WAGTAILDOCS_EXTENSIONS
(settings), and what each one's bytes may be is DOCUMENT_SIGNATURES below. An allowed extension
with no entry there is refused: nothing is accepted unchecked.
"""

import os
import zipfile

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from wagtail.documents.forms import BaseDocumentForm

SNIFF_BYTES = 8192
TEXT = "text"  # no magic number: must decode as text and not be markup

# Extension → what filetype may recognise its bytes as (its extension names), or TEXT.
DOCUMENT_SIGNATURES = {
    "pdf": {"pdf"},
    "doc": {"doc"},
    "xls": {"xls"},
    "ppt": {"ppt"},
    "docx": {"docx"},
    "xlsx": {"xlsx"},
    "pptx": {"pptx"},
    "odt": {"odt"},
    "ods": {"ods"},
    "odp": {"odp"},
    "rtf": {"rtf"},
    "zip": {"zip"},
    "csv": TEXT,
    "txt": TEXT,
}

# filetype recognises ZIP-based office files by the first members only; some writers put
# others first, and filetype then says "zip". Such a file is checked by its members.
OFFICE_MEMBERS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
    "odt": "content.xml",
    "ods": "content.xml",
    "odp": "content.xml",
}

# Text that starts like this is a web page or an SVG, which a browser would run if it ever
# rendered the file: not a plain-text or CSV document.
MARKUP_STARTS = (b"<!doctype", b"<html", b"<svg", b"<?xml", b"<script", b"<body", b"<head")
# Chinese offices often save CSV and text in GB18030 (GBK) rather than UTF-8.
TEXT_ENCODINGS = ("utf-8", "gb18030")


def extension_of(name):
    return os.path.splitext(name or "")[1].lower().lstrip(".")


def allowed_extensions():
    return sorted(getattr(settings, "WAGTAILDOCS_EXTENSIONS", None) or DOCUMENT_SIGNATURES)


def check_document(file):
    """Raise a ValidationError (Chinese) unless the file's bytes are its allowed extension's.
    Reads the first SNIFF_BYTES (office files: the ZIP directory) and leaves it at position 0."""
    extension = extension_of(file.name)
    allowed = allowed_extensions()
    if extension not in allowed or extension not in DOCUMENT_SIGNATURES:
        raise ValidationError(
            _("不支持的文档格式“.%(ext)s”，允许的扩展名：%(allowed)s。")
            % {"ext": extension, "allowed": "、".join(allowed)},
            code="extension",
        )
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    if not head:
        raise ValidationError(_("文件是空的。"), code="empty")

    expected = DOCUMENT_SIGNATURES[extension]
    sniffed = filetype.guess(head)
    if expected == TEXT:
        ok = sniffed is None and _is_plain_text(head)
    elif sniffed is not None and sniffed.extension == "zip" and extension in OFFICE_MEMBERS:
        ok = _has_member(file, OFFICE_MEMBERS[extension])
    else:
        ok = sniffed is not None and sniffed.extension in expected
    if not ok:
        actual = f"{sniffed.extension}（{sniffed.mime}）" if sniffed else _("无法识别的内容")
        raise ValidationError(
            _("文件内容与扩展名不符：扩展名为“.%(ext)s”，实际内容是%(actual)s，已拒绝。")
            % {"ext": extension, "actual": actual},
            code="mismatch",
        )


def _is_plain_text(head):
    if b"\x00" in head or head.lstrip().lower().startswith(MARKUP_STARTS):
        return False
    for encoding in TEXT_ENCODINGS:
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            # The sniffed head may end inside a multi-byte character.
            if exc.start >= len(head) - 3 and len(head) == SNIFF_BYTES:
                return True
    return False


def _has_member(file, member):
    try:
        with zipfile.ZipFile(file) as archive:  # reads the central directory only
            return member in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False
    finally:
        file.seek(0)


class CheckedDocumentForm(BaseDocumentForm):
    def clean_file(self):
        file = self.cleaned_data.get("file")
        if isinstance(file, UploadedFile):  # editing without a new file keeps the stored one
            check_document(file)
        return file

    def _post_clean(self):
        # With the file refused, Wagtail's Document.clean() would add a second, confusing
        # error ("extension “” is not allowed") for the file the instance no longer has.
        if not self.has_error("file"):
            super()._post_clean()
