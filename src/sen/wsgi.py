import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sen.conf.dev")
application = get_wsgi_application()

# Fewer runs of the cycle collector. A request allocates tens of thousands of objects and
# reference counting frees nearly all of them, yet the default first-generation threshold
# (700 allocations) runs the collector many times per request. The objects made while
# loading Django are frozen out of its scans. About 10 % more submissions per second, as a
# share of the bare view's rate measured in the same run (docs/benchmarks.md, ADR 12).
gc.freeze()
gc.set_threshold(100_000, 50, 100)
