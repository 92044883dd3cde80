"""The API's operations as it serves them, for the tests of what every operation shares."""

from typing import Any

from sen.api import api


def served_operations() -> dict[str, Any]:
    """Return every operation as the API serves it (its authentication inherited from the
    API's default), by method and path: ``"GET /tracking/{code}"``."""
    return {
        f"{method} {router.prefix}{path}": operation
        for router in api._get_bound_routers()
        for path, view in router.path_operations.items()
        for operation in view.operations
        for method in operation.methods
    }
