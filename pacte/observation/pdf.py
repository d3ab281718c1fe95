"""The territorial diagnostic as a PDF for a COPIL (WeasyPrint).

The HTML is rendered from observation/pdf/diagnostic.html with the same `Diagnostic` as the page (maps and
charts are inline SVG, which WeasyPrint draws) and turned into PDF by pacte.core.pdf.html_to_pdf,
whose URL fetcher serves only the platform's static files: rendering never reaches the network.
"""

from django.template.loader import render_to_string
from django.utils import translation

from pacte.core.pdf import html_to_pdf

TEMPLATE = "observation/pdf/diagnostic.html"


def diagnostic_html(diagnostic, *, method: str = "") -> str:
    """The HTML given to WeasyPrint (French dates and numbers whatever the active language)."""
    with translation.override("fr"):
        return render_to_string(
            TEMPLATE, {"d": diagnostic, "territory": diagnostic.territory, "method": method}
        )


def diagnostic_pdf(diagnostic, *, method: str = "") -> bytes:
    return html_to_pdf(diagnostic_html(diagnostic, method=method))


def diagnostic_filename(diagnostic) -> str:
    return f"diagnostic-{diagnostic.level}-{diagnostic.territory.code}-{diagnostic.generated_at:%Y-%m-%d}.pdf"
