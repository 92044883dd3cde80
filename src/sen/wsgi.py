import os

from django.core.wsgi import get_wsgi_application

from sen.core.runtime import collect_cycles_less_often

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sen.conf.dev")
application = get_wsgi_application()
collect_cycles_less_often()
