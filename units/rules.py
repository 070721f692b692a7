"""What every app's `rules.py` returns when a rule is broken (docs/architecture.md, "Rules").

A rule is a plain function over values, without database access; it returns None when the rule
holds, or a `Violation` that each caller turns into its own error form: a ValidationError in
services (`as_validation_error`), a RowError in uploads, a warning on a confirmation page.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class Violation:
    """A broken rule: `code` for programs, `message` (translated) for people, `field` the
    field it is about (None: the object as a whole)."""

    code: str
    message: str
    field: str | None = None

    def as_validation_error(self) -> ValidationError:
        error = ValidationError(self.message, code=self.code)
        return ValidationError({self.field: error}) if self.field else error
