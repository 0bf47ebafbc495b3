"""Changes made from the web shell's own pages (those of no single domain app)."""

from thidua.web.services.templates import (
    document_template_replace,
    document_template_restore_default,
    may_change_templates,
)

__all__ = ["document_template_replace", "document_template_restore_default",
           "may_change_templates"]
