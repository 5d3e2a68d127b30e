"""Generated files: QR codes (segno, made on the server: nothing leaves the machine) and the
certificate PDF (reportlab)."""

from __future__ import annotations

import io

import segno
from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from ruta.training.models import Certificate


def qr_svg(data: str, *, title: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="svg", scale=6, border=2, title=title, xmldecl=False)
    return buffer.getvalue()


def _qr_png(data: str) -> ImageReader:
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="png", scale=6, border=2)
    buffer.seek(0)
    return ImageReader(buffer)


def certificate_pdf(certificate: Certificate, *, verify_url: str) -> bytes:
    """One landscape A4 page: name, course, dates, hours, the verification code and its QR."""
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(_("Certificate of completion"))
    session = certificate.enrolment.session
    pdf.setFont("Helvetica-Bold", 28)
    pdf.drawCentredString(width / 2, height - 4 * cm, _("Certificate of completion"))
    pdf.setFont("Helvetica", 14)
    pdf.drawCentredString(width / 2, height - 6 * cm, _("This certifies that"))
    pdf.setFont("Helvetica-Bold", 24)
    pdf.drawCentredString(width / 2, height - 7.5 * cm, certificate.participant_name)
    pdf.setFont("Helvetica", 14)
    pdf.drawCentredString(width / 2, height - 9 * cm, _("completed the course"))
    pdf.setFont("Helvetica-Bold", 18)
    pdf.drawCentredString(width / 2, height - 10.3 * cm, certificate.course_title)
    pdf.setFont("Helvetica", 12)
    dates = _("from %(start)s to %(end)s — %(hours)s hours") % {
        "start": formats.date_format(session.starts_on, "DATE_FORMAT"),
        "end": formats.date_format(session.ends_on, "DATE_FORMAT"),
        "hours": formats.number_format(certificate.hours, 1),
    }
    pdf.drawCentredString(width / 2, height - 11.7 * cm, dates)
    pdf.drawCentredString(width / 2, height - 12.5 * cm, str(session.institution))
    pdf.drawImage(_qr_png(verify_url), 2 * cm, 1.5 * cm, width=4 * cm, height=4 * cm)
    pdf.setFont("Helvetica", 10)
    pdf.drawString(6.5 * cm, 3.6 * cm, _("Verification code: %(code)s") % {"code": certificate.code})
    pdf.drawString(6.5 * cm, 3 * cm, verify_url)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
