"""The client's address: one function for the sign-in lockout (django-axes'
``AXES_CLIENT_IP_CALLABLE``) and every line of the audit log.

Behind a TLS proxy ``REMOTE_ADDR`` is the proxy's: five wrong passwords from anyone would lock
that username for everyone, and every audit line would name the proxy. The proxy's
``X-Forwarded-For`` names the client, but any client can send that header itself, so it is read
only when ``REMOTE_ADDR`` is one of ``TRUSTED_PROXIES`` (``DJANGO_TRUSTED_PROXIES``: addresses or
networks; none by default). Each proxy appends the address it received from, so the header is
read from the right: the first address that is not a trusted proxy is the client (addresses left
of it were written by the client and may be anything).
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies if proxy.strip())


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def client_address(request: HttpRequest | None) -> str | None:
    """The address of the client that sent ``request`` (None without a request)."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR")
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    if not remote or not networks or not _trusted(remote, networks):
        return remote
    address = remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([part.strip() for part in forwarded.split(",")]):
        if not _valid(hop):
            break  # junk a client wrote: the last hop a trusted proxy vouched for stands
        address = hop
        if not _trusted(hop, networks):
            break
    return address
