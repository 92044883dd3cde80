"""Vietnamese number formats that Django's locale leaves out.

Django's ``vi`` module names the separators (a dot for thousands, a comma for decimals) but
no grouping, so ``number_format(..., force_grouping=True)`` and ``intcomma`` wrote
"1000000" where a Vietnamese reader expects "1.000.000".
"""

NUMBER_GROUPING = 3
