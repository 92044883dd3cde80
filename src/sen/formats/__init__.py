"""Sen's additions to Django's locale formats (``FORMAT_MODULE_PATH``); what a language's
module here does not name comes from Django's own module for it."""
