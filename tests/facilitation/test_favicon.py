"""Every page names its icon, and the icon is served, also at the address browsers try alone."""

from __future__ import annotations

import re


def test_pages_link_an_icon_that_is_served(app, workshop):
    client = app.test_client()
    for address in ("/", f"/j/{workshop.code}", f"/board/{workshop.code}?key={workshop.key}"):
        page = client.get(address).get_data(as_text=True)
        link = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
        assert link, address
        with client.get(link.group(1)) as icon:
            assert icon.status_code == 200
            assert icon.mimetype == "image/svg+xml"
            assert b"<svg" in icon.data
    old = client.get("/favicon.ico")
    assert old.status_code == 301
    assert old.headers["Location"].endswith("/static/favicon.svg")
