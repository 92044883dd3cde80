"""Writes of the dossiers app, one module per concept of the one-stop lifecycle.

- :mod:`.submission` — a dossier is submitted (online, at the desk, by post);
- :mod:`.intake` — the one-stop desk receives or refuses it;
- :mod:`.supplements` — the request for a supplement and the applicant's answer;
- :mod:`.processing` — the internal steps (and back), the apology, the stop;
- :mod:`.results` — the result, attached as a file or drafted in Sen, and taken back;
- :mod:`.withdrawal` — the applicant withdraws it;
- :mod:`.returning` — the result is returned;
- :mod:`.rescheduling` — the deadlines a day declared off falls within move later.

Every write is one transaction holding the dossier's new event, its projection on the
dossier row and the audit entry, all written in one place (:mod:`._transitions`), with the
applicant notified once it is committed. Other apps import the services from here:
``from sen.dossiers import services`` or ``from sen.dossiers.services import dossier_submit``.
"""

from sen.dossiers.services._checks import (
    ACCEPTED_KINDS,
    MAX_FILE_BYTES,
    MAX_PAPER_COUNT,
    MAX_TOTAL_BYTES,
    OFFICE_KINDS,
    RESULT_KINDS,
    PaperHandedIn,
    SubmittedFile,
    accepted_kinds,
    file_problem,
)
from sen.dossiers.services._transitions import notices_withheld
from sen.dossiers.services.intake import dossier_receive, dossier_refuse
from sen.dossiers.services.processing import (
    MAX_POSTPONEMENT,
    dossier_apologize,
    dossier_complete_step,
    dossier_send_back,
    dossier_stop,
)
from sen.dossiers.services.results import (
    MAX_RESULT_REFERENCE,
    MAX_RESULT_TEXT,
    MAX_RESULT_TITLE,
    MAX_SIGNER_TITLE,
    dossier_attach_result,
    dossier_generate_result,
    dossier_remove_result,
)
from sen.dossiers.services.returning import dossier_return_result
from sen.dossiers.services.submission import SubmitResult, dossier_submit
from sen.dossiers.services.supplements import (
    MAX_SUPPLEMENT_ITEMS,
    dossier_request_supplement,
    dossier_submit_supplement,
)
from sen.dossiers.services.withdrawal import dossier_withdraw
from sen.dossiers.states import DossierStatus

__all__ = [
    "ACCEPTED_KINDS",
    "MAX_FILE_BYTES",
    "MAX_PAPER_COUNT",
    "MAX_POSTPONEMENT",
    "MAX_RESULT_REFERENCE",
    "MAX_RESULT_TEXT",
    "MAX_RESULT_TITLE",
    "MAX_SIGNER_TITLE",
    "MAX_SUPPLEMENT_ITEMS",
    "MAX_TOTAL_BYTES",
    "OFFICE_KINDS",
    "RESULT_KINDS",
    "DossierStatus",
    "PaperHandedIn",
    "SubmitResult",
    "SubmittedFile",
    "accepted_kinds",
    "dossier_apologize",
    "dossier_attach_result",
    "dossier_complete_step",
    "dossier_generate_result",
    "dossier_receive",
    "dossier_refuse",
    "dossier_remove_result",
    "dossier_request_supplement",
    "dossier_return_result",
    "dossier_send_back",
    "dossier_stop",
    "dossier_submit",
    "dossier_submit_supplement",
    "dossier_withdraw",
    "file_problem",
    "notices_withheld",
]
