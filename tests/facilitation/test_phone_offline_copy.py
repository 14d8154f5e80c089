"""The phone page's service worker is served under /j/, where it may serve the phone pages."""

from __future__ import annotations


def test_the_service_worker_is_served_under_the_phone_pages(app, workshop):
    """/j/sw.js is the worker script, never cached stale, and the phone page points to it."""
    http = app.test_client()
    response = http.get("/j/sw.js")
    assert response.status_code == 200
    assert response.mimetype in ("text/javascript", "application/javascript")
    assert response.headers["Cache-Control"] == "no-cache"
    body = response.get_data(as_text=True)
    assert 'addEventListener("fetch"' in body and "/socket.io/" in body
    page = http.get(f"/j/{workshop.code}").get_data(as_text=True)
    assert 'data-service-worker="/j/sw.js"' in page
