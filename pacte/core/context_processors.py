from django.conf import settings


class SiteConfig:
    """What django-dsfr's templates read from SITE_CONFIG, without a database query per page."""

    site_title = "Pacte des solidarités"
    site_tagline = "Piloter la prévention et la lutte contre la pauvreté, de l'État aux territoires"
    header_brand_html = "République<br>française"
    footer_brand_html = "République<br>française"
    beta_tag = True
    mourning = False
    notice_title = ""
    notice_description = ""
    notice_link = ""
    notice_type = "info"
    notice_icon_class = ""
    notice_is_collapsible = False
    footer_description = (
        "Pacte est une plateforme libre de pilotage du Pacte des solidarités 2023-2027 : référentiel national, "
        "contrats locaux, observation de la pauvreté, gouvernance et accès aux droits."
    )
    accessibility_status = "PART"
    operator_logo_file = None
    operator_logo_alt = ""
    operator_logo_width = 0


SITE_CONFIG = SiteConfig()


def site(request):
    return {"SITE_CONFIG": SITE_CONFIG, "DEMO_MODE": settings.DEMO_MODE}
