"""Headers that every page carries, so that a browser limits what a hostile page or text can do.

The pages load scripts from this site only and never inline one, so the content security policy
allows scripts from 'self' alone; inline styles stay allowed because matplotlib's SVG charts
carry their own. No page may be framed (clickjacking of the facilitator controls). Facilitator
and board addresses carry the workshop's key, so no address is ever sent as a referrer.
"""

from __future__ import annotations

from flask import Flask, Response

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


def add_security_headers(response: Response) -> Response:
    """Set the security headers on a response, keeping any a page chose itself."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def init_app(app: Flask) -> None:
    """Send the security headers with every response of the application."""
    app.after_request(add_security_headers)
