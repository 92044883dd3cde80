"""A procedure's e-form (tờ khai, a JSON Schema) on the web pages.

One renderer for every page that asks for or shows an e-form: the citizen's "apply online"
page (``sen.portal``) and the one-stop desk's intake and dossier pages (``sen.workspace``).

* ``schema``: the properties in display order and the overview the procedure page lists;
* ``fields``: Django form fields with the schema's constraints, groups for nested objects,
  and the cleaned values turned back into the JSON object the schema describes;
* ``display``: entered data as labelled lines, in the schema's order.

The submission service checks the data against the schema again: these only help people
type it and put each problem next to its field.
"""
