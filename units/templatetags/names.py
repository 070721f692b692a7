"""`{{ lao|display_name }}`: a province's, district's, LAO's or classification item's name in the
active language (units.slices.display_name)."""

from django import template

from units.slices import display_name

register = template.Library()
register.filter("display_name", display_name)
