"""When login is required, and when faturas refuses to listen at all.

The embedded default stays two commands: bound to the loopback address with no users, nobody but this
machine can reach faturas, so it runs without login. Anything else needs authentication:
``FATURAS_AUTH=auto`` (default) turns login on as soon as a user exists (even a disabled one) or the
host is not loopback; ``on`` always asks for it; ``off`` is accepted on loopback only.
"""

from __future__ import annotations

import ipaddress

from faturas.config import Settings
from faturas.db.unit_of_work import UnitOfWorkFactory
from faturas.errors import AuthNotConfigured
from faturas.services.auth import has_active_users


def is_loopback(host: str) -> bool:
    if host.strip().lower() in {"localhost", "localhost.localdomain", "ip6-localhost"}:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name may resolve anywhere: treat it as reachable from outside


def login_required(settings: Settings, users_exist: bool) -> bool:
    if settings.auth == "on":
        return True
    if settings.auth == "off":
        return False
    return users_exist or not is_loopback(settings.host)


def check_exposure(settings: Settings, uow_factory: UnitOfWorkFactory) -> None:
    """Raise AuthNotConfigured when ``settings.host`` is reachable from other machines and nobody could
    log in (no active admin), or login was switched off."""
    if is_loopback(settings.host):
        return
    if settings.auth == "off":
        raise AuthNotConfigured(settings.host, "FATURAS_AUTH=off só é aceito em 127.0.0.1")
    if not has_active_users(uow_factory, admin=True):
        raise AuthNotConfigured(settings.host, "não há nenhum usuário administrador ativo")
