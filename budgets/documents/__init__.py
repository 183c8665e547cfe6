"""The official documents of the budget reports: their data, printed by core/documents.

A document is a ``core.documents.Document`` (kop, title, facts, tables, signature) built by one
data function from the selectors its page uses; ``core.documents.pdf.render_pdf`` prints it with
a template extending ``documents/base.html`` and ``core.documents.xlsx`` writes the same figures.
common.py gives every satker document its letterhead and the head's signature block; monthly.py
is the monthly report. The quarterly report is one more data function beside it and one template
(``{% extends "documents/base.html" %}``), its views as budgets/views/documents.py's."""
