from django.db import migrations, models
from django.utils import timezone

LEADER = "leader"


def approve_past_the_last_leader_step(apps, schema_editor):
    """Mark approved the results of dossiers being processed past their procedure's last
    leader step, at the moment that step was completed (the leader's approval)."""
    Dossier = apps.get_model("dossiers", "Dossier")
    ProcessStep = apps.get_model("catalog", "ProcessStep")
    StepRecord = apps.get_model("dossiers", "StepRecord")
    last_leader: dict[int, int | None] = {}
    dossiers = Dossier.objects.filter(status="processing", current_step__isnull=False)
    for dossier in dossiers.select_related("current_step").iterator():
        procedure = dossier.procedure_id
        if procedure not in last_leader:
            step = (
                ProcessStep.objects.filter(procedure_id=procedure, role=LEADER)
                .order_by("-position")
                .first()
            )
            last_leader[procedure] = step.position if step is not None else None
        position = last_leader[procedure]
        if position is None or dossier.current_step.position <= position:
            continue
        record = (
            StepRecord.objects.filter(dossier=dossier, position=position)
            .exclude(finished_at=None)
            .order_by("-finished_at")
            .first()
        )
        dossier.result_approved_at = record.finished_at if record else timezone.now()
        dossier.save(update_fields=["result_approved_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        ("dossiers", "0016_overdue_digest_day"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="result_approved_at",
            field=models.DateTimeField(
                blank=True,
                help_text=(
                    "Khi lãnh đạo hoàn thành bước phê duyệt cuối cùng của quy trình; từ đó kết "
                    "quả là của người nộp, không còn được thay hay gỡ. Trống lại nếu hồ sơ bị "
                    "trả về bước đó."
                ),
                null=True,
                verbose_name="thời điểm phê duyệt kết quả",
            ),
        ),
        migrations.RunPython(
            approve_past_the_last_leader_step, migrations.RunPython.noop, elidable=True
        ),
    ]
