"""The OpenAPI document names each response and body schema once."""

from ninja import Schema


def _schemas(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        if sub.__module__.startswith("sen.") and ".tests." not in sub.__module__:
            found.append(sub)
        found.extend(_schemas(sub))
    return found


def test_no_two_api_schemas_share_a_name():
    """django-ninja names an OpenAPI component after its class: two classes of one name in
    two apps would share one component, and the document would describe one app's answer
    with the other's fields (as it did for the catalog's and the indicators' FieldOut)."""
    import sen.api  # noqa: F401 - loads every router and its schemas

    by_name: dict[str, set[str]] = {}
    for schema in _schemas(Schema):
        by_name.setdefault(schema.__name__, set()).add(schema.__module__)

    assert {name: mods for name, mods in by_name.items() if len(mods) > 1} == {}
