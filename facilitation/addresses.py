"""The addresses people type or scan: join page, board, facilitator controls, staff pages."""

from __future__ import annotations

import io
import ipaddress

import click
import psutil
import segno
from flask import current_app, request

from facilitation import security


def lan_address() -> str | None:
    """The machine's first private IPv4 address on an interface that is up, if any."""
    stats = psutil.net_if_stats()
    candidates = []
    for name, addresses in psutil.net_if_addrs().items():
        if name in stats and not stats[name].isup:
            continue
        for address in addresses:
            if address.family.name != "AF_INET":
                continue
            ip = ipaddress.ip_address(address.address)
            if not ip.is_loopback and not ip.is_link_local:
                candidates.append(ip)
    candidates.sort(key=lambda ip: (not ip.is_private, str(ip)))
    return str(candidates[0]) if candidates else None


def public_base() -> str:
    """The base address phones use: PUBLIC_URL, else the address of the current request."""
    configured = current_app.config.get("PUBLIC_URL")
    if configured:
        return configured.rstrip("/")
    return request.host_url.rstrip("/")


def server_base(app) -> str:  # noqa: ANN001
    """The address the room reaches this server at: PUBLIC_URL, else LAN address and port."""
    if app.config.get("PUBLIC_URL"):
        return app.config["PUBLIC_URL"].rstrip("/")
    host = app.config["HOST"]
    lan = lan_address() if host in ("0.0.0.0", "::") else host
    return f"http://{lan or '127.0.0.1'}:{app.config['PORT']}"


def join_url(code: str, base: str | None = None) -> str:
    """The address a phone opens to join a workshop."""
    return f"{(base or public_base())}/j/{code}"


def qr_svg(data: str) -> str:
    """A QR code of data as an SVG document, dark on light, readable from a projector."""
    out = io.BytesIO()
    segno.make(data, error="m").save(out, kind="svg", scale=10, border=2, xmldecl=False, svgns=True)
    return out.getvalue().decode()


def print_workshop_addresses(app, workshop, base: str) -> None:  # noqa: ANN001
    """Print a workshop's addresses and the QR code of its join address."""
    with app.app_context():
        key = security.facilitator_secret(workshop.id, workshop.secret_salt)
        staff = security.staff_secret()
    join = join_url(workshop.code, base)
    click.echo("")
    click.echo(f"  Workshop:     {workshop.title}")
    click.echo(f"  Join code:    {workshop.code}")
    click.echo(f"  Join address: {join}   (phones on the same network)")
    click.echo(f"  Board:        {base}/board/{workshop.code}?key={key}")
    click.echo(f"  Facilitator:  {base}/facilitate/{workshop.code}?key={key}")
    click.echo(f"  Staff:        {base}/staff?key={staff}")
    click.echo("")
    segno.make(join, error="m").terminal(compact=True)
    click.echo("")
