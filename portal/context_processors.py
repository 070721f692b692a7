from django.conf import settings


def site(request):
    """Contacts shown in every page's footer (from settings, no query)."""
    return {
        "portal_hotline": settings.PORTAL_HOTLINE,
        "portal_contact_email": settings.PORTAL_CONTACT_EMAIL,
        "portal_contact_phone": settings.PORTAL_CONTACT_PHONE,
    }
