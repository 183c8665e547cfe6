"""A template and its context as a PDF (WeasyPrint: HTML + CSS printed server-side).

The documents' stylesheets and images are the project's own static files, read from disk: the
base URL is the ``static/`` folder as a file path, and the URL fetcher reads files under that
folder and nothing else. A document can never make the server fetch a URL (http, https, ftp, a
file elsewhere on the disk): a name or a note typed as ``<img src="http://...">`` is escaped by
the template anyway, and would be refused here if it ever reached the HTML.

WeasyPrint needs pango and fonts from the system (the Makefile installs Debian's
fonts-dejavu-core); importing this module loads pango, so views import it when they print.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

PDF_CONTENT_TYPE = "application/pdf"
logger = logging.getLogger(__name__)
# WeasyPrint logs every step of every document at INFO: not the server log's business.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def static_root() -> Path:
    """The folder the documents' relative URLs (``css/documents.css``) are read from."""
    return Path(settings.BASE_DIR, "static").resolve()


class LocalFilesOnly(URLFetcher):
    """WeasyPrint's fetcher limited to the files under ``root`` (and inline ``data:`` URLs): any
    other URL is refused before anything is opened. Refusals are logged and counted in
    ``refused`` (WeasyPrint carries on without the resource)."""

    def __init__(self, root: Path) -> None:
        super().__init__(timeout=1, allowed_protocols=("file", "data"), allow_redirects=False)
        self.root = root.resolve()
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> Any:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file" and not parts.netloc:
            path = Path(unquote(parts.path)).resolve()
            if path.is_relative_to(self.root) and path.is_file():
                return super().fetch(path.as_uri(), headers)
        self.refused.append(url)
        logger.warning("A document asked for %s: refused (documents read only the project's static files).", url)
        raise ValueError(f"Documents fetch no URL: {url}")


def render_pdf(template_name: str, context: dict[str, Any], request: HttpRequest | None = None,
               *, fetcher: LocalFilesOnly | None = None) -> bytes:  # fmt: skip
    """The PDF of ``template_name`` rendered with ``context`` (a template extending
    ``documents/base.html``)."""
    html = render_to_string(template_name, context, request=request)
    root = static_root()
    return HTML(string=html, base_url=root.as_uri() + "/", url_fetcher=fetcher or LocalFilesOnly(root)).write_pdf()


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """The PDF shown in the browser (inline), saved as ``filename`` when downloaded."""
    response = HttpResponse(content, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
