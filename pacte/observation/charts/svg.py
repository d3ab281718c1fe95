"""The SVG building blocks of the observation's figures: elements, text, the <svg> root, safe ids and links.

The figures are inlined in pages served with a strict Content-Security-Policy and in PDFs made with
WeasyPrint: no JavaScript, no `style` attribute, no <style> element, only presentation attributes (fill,
stroke, font-size…). Each figure has role="img" (role="group" for a map whose départements are links), a <title> and a <desc> (referenced by aria-labelledby).
"""

from urllib.parse import urlsplit

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FONT_FAMILY = "Marianne, Arial, sans-serif"
TEXT_COLOUR = "#161616"
MUTED_COLOUR = "#666666"
GRID_COLOUR = "#dddddd"
# What a figure says where a value is missing.
NO_DATA = "donnée non disponible"


def coord(value: float) -> str:
    """A coordinate, short and deterministic."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def element(tag: str, content: str = "", **attributes: object) -> str:
    """An element; attribute names use _ for - (a trailing _ is dropped), None values are skipped.

    `content` must already be markup: escape text with `escape()`.
    """
    attrs = "".join(
        f' {name.rstrip("_").replace("_", "-")}="{escape(str(value))}"'
        for name, value in attributes.items()
        if value is not None
    )
    return f"<{tag}{attrs}>{content}</{tag}>" if content else f"<{tag}{attrs}/>"


def text_at(x: float, y: float, text: str, size: float, **attributes: object) -> str:
    return element("text", escape(text), x=coord(x), y=coord(y), font_size=coord(size), **attributes)


def segment(x1: float, y1: float, x2: float, y2: float, stroke: str, **attributes: object) -> str:
    return element(
        "line", x1=coord(x1), y1=coord(y1), x2=coord(x2), y2=coord(y2), stroke=stroke, **attributes
    )


def tooltip(text: str) -> str:
    return element("title", escape(text))


def svg_root(
    content: str,
    *,
    element_id: str,
    size: tuple[float, float],
    title: str,
    desc: str,
    kind: str,
    role: str = "img",
) -> SafeString:
    """The <svg> element: no width/height, it takes the width of its container (CSS may set it). role="group" for a
    figure that holds links (an image's children are presentational: no link may sit inside one)."""
    header = element("title", escape(title), id=f"{element_id}-titre")
    header += element("desc", escape(desc), id=f"{element_id}-desc")
    svg = element(
        "svg",
        header + content,
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {coord(size[0])} {coord(size[1])}",
        id=element_id,
        class_=f"pacte-{kind}",
        role=role,
        aria_labelledby=f"{element_id}-titre {element_id}-desc",
        font_family=FONT_FAMILY,
        fill=TEXT_COLOUR,
    )
    return mark_safe(svg)


def check_id(element_id: str) -> None:
    if not (element_id[:1].isascii() and element_id[:1].isalpha()) or not all(
        c.isascii() and (c.isalnum() or c in "-_") for c in element_id
    ):
        raise ValueError(f"Identifiant invalide : {element_id!r} (lettres, chiffres, - et _).")


def safe_href(url: str | None) -> str | None:
    """Relative or http(s) URLs only: a javascript: or data: link is dropped."""
    url = (url or "").strip()
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if url and scheme in ("", "http", "https") else None


def text_width(text: str, font_size: float) -> float:
    """Rough width of a text: SVG has no text measurement server-side."""
    return len(text) * font_size * 0.56
