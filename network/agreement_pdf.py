"""签订协议: the cooperation agreement generated as a PDF from a text template.

The wording lives in templates/network/admission/agreement.txt (one paragraph per blank-line
separated block; a line starting with "# " is a heading). ReportLab's built-in CID font
STSong-Light draws Chinese with the reader's own font, so no font file ships with the project.
"""

import io

from django.template.loader import render_to_string

from .plan import OPENING_DUTIES

FONT = "STSong-Light"
TEMPLATE = "network/admission/agreement.txt"


def agreement_context(application, parent, signed_on):
    return {
        "application": application,
        "reviewer": application.reviewer,
        "parent": parent,
        "plaque_name": application.plaque_name,
        "signed_on": signed_on,
        "duty": OPENING_DUTIES[application.level],
    }


def agreement_pdf(context):
    """PDF bytes of the agreement rendered with `context`."""
    from xml.sax.saxutils import escape  # nosec B406: escape() for ReportLab markup; nothing is parsed

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    body = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=19, wordWrap="CJK")
    heading = ParagraphStyle(
        "heading", parent=body, fontSize=18, leading=28, alignment=1, spaceAfter=6
    )
    text = render_to_string(TEMPLATE, context)
    story = []
    for block in (b.strip() for b in text.split("\n\n")):
        if not block:
            continue
        style = heading if block.startswith("# ") else body
        lines = [escape(line) for line in block.removeprefix("# ").splitlines()]
        story += [Paragraph("<br/>".join(lines), style), Spacer(1, 3 * mm)]
    buffer = io.BytesIO()
    title = context["plaque_name"] or str(context["application"])
    document = SimpleDocTemplate(
        buffer, pagesize=A4, title=title, leftMargin=25 * mm, rightMargin=25 * mm
    )
    document.build(story)
    return buffer.getvalue()
