"""The one place that decides which rows a user may see and change.

Every view and every export passes its queryset through ``scoped()`` (lists, reports) or
``get_scoped_or_404()`` (one object). The rule (CONTRACT "Who sees what"), asked of
accounts.permissions: the directorate's roles (admin, reviewer, viewer) see every province; a
province's roles (officers) only rows of their own province; a user without a usable role sees
nothing. Writes are narrower: a role that may write changes every province when it reads them
all (admins), else its own province (officers); the others change nothing.

The helper imports no model: each scoped model says how it reaches a province by defining
``province_scope(province_id) -> Q``. This keeps ``accounts`` below ``budgets`` and
``programs`` (dependencies point down) and makes a model without a rule fail loudly instead
of leaking.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

from accounts import permissions

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

M = TypeVar("M", bound=Model)


def _province_rule(model: type[Model]) -> Any:
    rule = getattr(model, "province_scope", None)
    if rule is None:
        raise TypeError(f"{model.__name__} has no province_scope(): define it before exposing the model to users.")
    return rule


def scoped(queryset: QuerySet[M], user: User | AnonymousUser, *, for_edit: bool = False) -> QuerySet[M]:
    """Rows of ``queryset`` that ``user`` may read (or, with ``for_edit``, change)."""
    rule = _province_rule(queryset.model)
    if not permissions.uses_site(user) or (for_edit and not permissions.may_write(user)):
        return queryset.none()
    if permissions.reads_all_provinces(user):
        return queryset
    return queryset.filter(rule(user.province_id))


def get_scoped_or_404(
    queryset: QuerySet[M], user: User | AnonymousUser, *, for_edit: bool = False, **lookups: Any
) -> M:
    """One object the user may read (or change); 404 otherwise, so that an object of another
    province is indistinguishable from one that does not exist."""
    try:
        return scoped(queryset, user, for_edit=for_edit).get(**lookups)
    except queryset.model.DoesNotExist as missing:
        raise Http404 from missing


def scope_key(user: User | AnonymousUser) -> str:
    """What ``scoped()`` answers depends on, as a string: pages computed for one user may be
    served from a cache to another user with the same key (same role, same province). Includes
    the role itself, since pages also show or hide actions by role."""
    if not permissions.uses_site(user):
        return "none"
    return f"{user.role}:{'all' if permissions.reads_all_provinces(user) else user.province_id}"
