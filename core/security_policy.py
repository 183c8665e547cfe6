"""The Content-Security-Policy of every page (a module of its own: settings import it, and it
imports nothing of Django).

Own files only: no inline script or style, no other origin. ``data:`` images for the inline SVG
icons in Bootstrap's CSS; ``frame-ancestors 'none'`` is X-Frame-Options DENY for browsers that
follow CSP.
"""

DEFAULT_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
