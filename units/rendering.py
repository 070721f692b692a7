"""The portal's form renderer (settings.FORM_RENDERER): every `{{ form }}` starts with its error
summary (units/templates/includes/form.html).

It renders with Django's own form engine (Django's form templates, then the apps' templates) rather
than the project's TEMPLATES: Django's widget templates stay out of the project engine, whose
missing-variable checks (in tests) they were not written for — the admin's password widget, say.
The form templates therefore live in an app (units/templates/includes/), which both engines find.
"""

from django.forms.renderers import DjangoTemplates


class PortalFormRenderer(DjangoTemplates):
    form_template_name = "includes/form.html"
