"""Checks for files users attach (evidence): generic, no domain import.

``check_upload(file)`` recognises a PDF, JPEG or PNG by its content (never its name), refuses
anything else, a PDF with active content and polyglots, enforces the size and pixel limits,
re-encodes images without their metadata and returns the bytes to store with their SHA-256.
Every refusal is a ``ValidationError`` with a message in Indonesian; nothing is stored here.
"""

from core.files.checks import ACCEPT, ALLOWED_CONTENT_TYPES, CheckedFile, check_upload

__all__ = ["ACCEPT", "ALLOWED_CONTENT_TYPES", "CheckedFile", "check_upload"]
