"""The territorial diagnostic as a PDF for a COPIL (WeasyPrint).

The HTML is rendered from observation/pdf/diagnostic.html with the `Diagnostic` of
`pacte.observation.diagnostics.build_diagnostic`, the same as the page's (maps and charts are inline SVG,
which WeasyPrint draws) and turned into PDF by pacte.core.pdf.html_to_pdf,
whose URL fetcher serves only the platform's static files: rendering never reaches the network.
"""

from django.template.loader import render_to_string
from django.utils import translation

from pacte.core.pdf import html_to_pdf
from pacte.observation.diagnostics import METHOD, Diagnostic

TEMPLATE = "observation/pdf/diagnostic.html"


def diagnostic_html(diagnostic: Diagnostic) -> str:
    """The HTML given to WeasyPrint (French dates and numbers whatever the active language)."""
    with translation.override("fr"):
        return render_to_string(
            TEMPLATE, {"d": diagnostic, "territory": diagnostic.territory, "method": METHOD}
        )


def diagnostic_pdf(diagnostic: Diagnostic) -> bytes:
    return html_to_pdf(diagnostic_html(diagnostic))


def diagnostic_filename(diagnostic: Diagnostic) -> str:
    return f"diagnostic-{diagnostic.level}-{diagnostic.territory.code}-{diagnostic.generated_at:%Y-%m-%d}.pdf"
