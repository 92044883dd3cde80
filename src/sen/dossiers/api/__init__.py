"""HTTP API of dossiers: submission, "my dossiers", the officers' queue, one dossier, its
actions and slips (``/api/v1/dossiers``), and public tracking (``/api/v1/tracking``).

Handlers parse, call one service or selector, and answer. Access checks live in
:mod:`sen.dossiers.selectors`: a user who may not read a dossier gets 404, as for an unknown
code. The modules add their endpoints to the routers in the order of the imports below,
which is the order URLs are matched in: ``/mine`` and ``/queue`` before ``/{code}``.
"""

from sen.dossiers.api import reads, submit, tracking
from sen.dossiers.api.actions import register_actions
from sen.dossiers.api.routers import dossiers_router, tracking_router
from sen.dossiers.api.slips import register_slips

register_slips()
register_actions()

__all__ = ["dossiers_router", "reads", "submit", "tracking", "tracking_router"]
