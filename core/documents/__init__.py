"""The official documents (monthly and quarterly report) as PDF and XLSX: one ``Document`` of
tables built by the app that owns the data, printed by ``templates/documents/`` (pdf.py) or
written into a workbook (xlsx.py) with the same figures."""

from core.documents.model import Column, Document, Signature, Table

__all__ = ["Column", "Document", "Signature", "Table"]
