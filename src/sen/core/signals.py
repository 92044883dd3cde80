"""What core asks of the apps built on it, without knowing them."""

from django.dispatch import Signal

# Sent with ``agency`` before an agency closes. Each receiver returns what still needs the
# agency open (its open dossiers, the procedures it implements), said to people, or "";
# ``services.agency_close_check`` refuses with every reason given.
agency_closing = Signal()

# Sent with ``vacant``, (agency, role) pairs that no active officer holds, after an
# administrator changed roles or accounts. Each receiver returns its warnings for people
# about work waiting on such a role (dossiers at a step no one can act on), a list.
roles_vacant = Signal()
