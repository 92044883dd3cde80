"""What the admin's change pages send back, for tests that post them."""

from sen.core.models import User


def membership_form(prefix_rows: list[dict[str, str]], initial: int) -> dict[str, str]:
    data = {
        "memberships-TOTAL_FORMS": str(len(prefix_rows)),
        "memberships-INITIAL_FORMS": str(initial),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(prefix_rows):
        data.update({f"memberships-{index}-{key}": value for key, value in row.items()})
    return data


def user_change(user: User, **fields: str) -> dict[str, str]:
    """The account's change page as sent back unchanged but for ``fields``, with its roles."""
    rows = [
        {
            "id": str(membership.pk),
            "user": str(user.pk),
            "agency": str(membership.agency_id),
            "role": membership.role,
            **({"is_active": "on"} if membership.is_active else {}),
        }
        for membership in user.memberships.all()
    ]
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email,
        "phone": user.phone,
        **({"is_active": "on"} if user.is_active else {}),
        **fields,
        "_save": "Lưu",
    }
    return {**data, **membership_form(rows, len(rows))}
