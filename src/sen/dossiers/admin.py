"""Who read a citizen's personal data: the audit log's reads, found by the citizen's CCCD.

Each read of an applicant's details by an official is in the audit log under the dossier's
code (``selectors.PERSONAL_DATA_READ``). A citizen asks who read their data by their CCCD,
which the log does not hold; this page finds their dossiers by it and lists the reads of
those. The search itself is recorded, naming the dossiers found, not the number.
"""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sen.core.admin import ReadOnlyAdmin
from sen.core.requests import request_user
from sen.core.services import audit_record
from sen.dossiers.codes import typed_dossier_code
from sen.dossiers.models import Dossier, PersonalDataRead
from sen.dossiers.selectors import PERSONAL_DATA_READ

SEARCHED = "dossiers.personal_data_reads.searched"


@admin.register(PersonalDataRead)
class PersonalDataReadAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_label", "target_key", "purpose")
    list_display_links = None
    search_fields = ("target_key",)
    search_help_text = _("Số CCCD của người nộp (12 chữ số) hoặc mã hồ sơ.")
    date_hierarchy = "at"

    @admin.display(description=_("mục đích"))
    def purpose(self, entry: PersonalDataRead) -> str:
        return str(entry.data.get("purpose", "")) if isinstance(entry.data, dict) else ""

    def get_queryset(self, request: HttpRequest) -> QuerySet[PersonalDataRead]:
        return super().get_queryset(request).filter(action=PERSONAL_DATA_READ)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[PersonalDataRead], search_term: str
    ) -> tuple[QuerySet[PersonalDataRead], bool]:
        term = search_term.strip()
        if not term:
            return queryset, False
        digits = "".join(character for character in term if character not in " .-")
        if digits.isdigit() and len(digits) == 12:
            codes = list(
                Dossier.objects.filter(applicant_id_number=digits)
                .order_by("code")
                .values_list("code", flat=True)
            )
            audit_record(actor=request_user(request), action=SEARCHED, data={"dossiers": codes})
        else:
            codes = [typed_dossier_code(term)]
        return queryset.filter(target_type="dossiers.dossier", target_key__in=codes), False
