"""The IOC pages' addresses and the data a page hands to its charts, for the IOC's tests."""

import json

IOC = "/ioc/"
OVERDUE = "/ioc/qua-han/"


def board_data(response) -> dict:
    """Return the data the page hands to its charts (``json_script``)."""
    html = response.content.decode()
    start = html.index('<script id="ioc-data" type="application/json">')
    body = html[html.index(">", start) + 1 : html.index("</script>", start)]
    return json.loads(body)
