"""What the catalog tells the apps built on it, without knowing them."""

from django.dispatch import Signal

# Sent with ``versions`` (the new Procedure rows) once new versions of procedures were
# written, inside their transaction. Their rows are inserted in bulk, so no ``post_save``
# tells of them; a receiver that remembers which version is current forgets it here.
procedures_published = Signal()
