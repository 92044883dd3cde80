"""What the calendar tells the apps built on it, without knowing them."""

from django.dispatch import Signal

# Sent after a calendar entry was created, changed or deleted, inside the same transaction,
# with:
#
# - ``before``: each date whose entry changed, mapped to the kind of its entry before the
#   change (``EntryKind``'s value), or ``None`` where it had none: with the entries as they
#   stand after the change (``selectors.calendar_entries``), the calendar before it;
# - ``at``: the moment of the change;
# - ``reason``: what the change is, said to people (the entry's name and its legal basis).
#
# The dossiers app moves the deadlines that a day newly off falls within.
calendar_changed = Signal()
