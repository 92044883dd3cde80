"""Writes of the core app: the audit log."""

from typing import Any

from django.db import models

from sen.core.models import AuditEntry, User


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    target_type: str = "",
    target_key: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one audit entry; call it inside the transaction of the change it records.

    ``target`` names the object by its business key (``audit_key`` when the model has one,
    otherwise its primary key); ``target_type``/``target_key`` do so explicitly.
    """
    if target is not None:
        target_type = target._meta.label_lower
        target_key = str(getattr(target, "audit_key", target.pk))
    label = actor.get_username() if actor is not None else "system"
    return AuditEntry.objects.create(
        actor=actor,
        actor_label=label,
        action=action,
        target_type=target_type,
        target_key=target_key,
        data=data or {},
    )
