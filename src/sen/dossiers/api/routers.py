"""The routers of the dossiers API, which the modules of this package add their endpoints to."""

from ninja import Router

dossiers_router = Router()
tracking_router = Router()
