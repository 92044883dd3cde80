"""Write the procedures' search words again: a final y after consonants is now written i
(``sen.catalog.search.search_words``), so that "đăng kí" finds "Đăng ký"."""

from django.db import migrations

from sen.catalog.search import search_document, search_phrase


def rewrite_search_words(apps, schema_editor):
    Procedure = apps.get_model("catalog", "Procedure")
    procedures = Procedure.objects.select_related("field").only(
        "name", "code", "field__name", "search_text", "search_name"
    )
    changed = []
    for procedure in procedures.iterator(chunk_size=1000):
        procedure.search_text = search_document(
            name=procedure.name, code=procedure.code, field_name=procedure.field.name
        )
        procedure.search_name = search_phrase(procedure.name)
        changed.append(procedure)
    Procedure.objects.bulk_update(changed, ["search_text", "search_name"], batch_size=1000)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "UPDATE catalog_procedure SET search_vector = to_tsvector('simple', search_text)"
        )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_procedure_accepts_office_documents")]

    operations = [migrations.RunPython(rewrite_search_words, migrations.RunPython.noop)]
