"""Vietnam time, the one zone Sen reasons in (times are stored in UTC).

Plain Python, without Django: the working-day calendar, the dossier codes and the slips
import it, as well as the apps built on them.
"""

from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
