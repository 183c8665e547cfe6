"""Who signs for a province's head on a day: the head, or the acting head (Plh/Plt) a recorded
``Delegation`` names for that day. The rule behind ``permissions.may_verify`` and the services
that verify reports."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import PROVINCE_ROLES, Role

if TYPE_CHECKING:
    from accounts.models import Delegation, User


def _today(day: date | None) -> date:
    return day or timezone.localdate()


def delegation_on(user: User, day: date | None = None) -> Delegation | None:
    """The delegation under which ``user`` acts as head on ``day`` (None: they do not)."""
    Delegation = apps.get_model("accounts", "Delegation")
    if not user.is_authenticated or user.pk is None:
        return None
    day = _today(day)
    return (
        Delegation.objects.filter(
            acting=user, starts_on__lte=day, ends_on__gte=day, head__is_active=True, head__role=Role.HEAD,
            head__province_id=user.province_id,
        )
        .select_related("head")
        .first()
    )  # fmt: skip


def signs_for_province(user: User, province_id: int, day: date | None = None) -> tuple[bool, Delegation | None]:
    """Whether ``user`` verifies ``province_id``'s reports on ``day``, and the delegation when they
    act for the head. The head of another province, an officer without a delegation, or the
    directorate never does: the signature is the province's."""
    if not user.is_authenticated or not user.is_active or user.province_id != province_id:
        return False, None
    if user.role == Role.HEAD:
        return True, None
    delegation = delegation_on(user, day)
    return delegation is not None, delegation


def delegation_problems(delegation: Delegation) -> dict[str, str]:
    """Field -> message for a delegation that cannot be recorded (the model's clean and the admin)."""
    Delegation = apps.get_model("accounts", "Delegation")
    problems: dict[str, str] = {}
    head, acting = getattr(delegation, "head", None), getattr(delegation, "acting", None)
    if head is not None and head.role != Role.HEAD:
        problems["head"] = _("Yang melimpahkan harus berperan Kepala Dinas.")
    if head is not None and acting is not None:
        if acting.pk == head.pk:
            problems["acting"] = _("Kepala Dinas tidak dapat menunjuk dirinya sendiri.")
        elif acting.role not in PROVINCE_ROLES or acting.province_id != head.province_id:
            problems["acting"] = _("Pelaksana harus akun provinsi yang sama dengan Kepala Dinas.")
    if delegation.starts_on and delegation.ends_on:
        if delegation.ends_on < delegation.starts_on:
            problems["ends_on"] = _("Tanggal selesai tidak boleh sebelum tanggal mulai.")
        elif head is not None:
            overlapping = Delegation.objects.filter(
                head=head, starts_on__lte=delegation.ends_on, ends_on__gte=delegation.starts_on
            ).exclude(pk=delegation.pk)
            other = overlapping.first()
            if other is not None:
                problems["starts_on"] = _("Periode ini bertumpang tindih dengan pelimpahan lain (%(other)s).") % {
                    "other": other
                }
    return problems


def ensure_delegation_valid(delegation: Delegation) -> None:
    problems = delegation_problems(delegation)
    if problems:
        raise ValidationError(problems)


def delegation_record(*, form, by: User) -> Delegation:
    """Save a head's delegation from its form (validated by the model's rules); its author kept."""
    delegation = form.save(commit=False)
    delegation.created_by = by
    delegation._history_user = by
    delegation.save()
    return delegation


def delegation_end(*, delegation: Delegation, by: User, today: date | None = None) -> Delegation | None:
    """End a delegation today (one not begun yet is cancelled: None). Only its head may."""
    today = _today(today)
    if delegation.head_id != by.pk:
        raise ValidationError(_("Hanya Kepala Dinas yang melimpahkan yang dapat mengakhirinya."))
    delegation._history_user = by
    if delegation.starts_on > today:
        delegation.delete()
        return None
    if delegation.ends_on >= today:
        delegation.ends_on = today
        delegation.save(update_fields=["ends_on"])
    return delegation


def signers_of_province(province_id: int, day: date | None = None) -> list[User]:
    """Everyone who signs for ``province_id``'s head on ``day``: its active heads, and the acting
    heads (Plh/Plt) of the delegations running that day (the mirror of ``signs_for_province``).
    The people told that a report awaits the head's verification."""
    User = apps.get_model("accounts", "User")
    day = _today(day)
    acting = Q(
        delegations_received__starts_on__lte=day, delegations_received__ends_on__gte=day,
        delegations_received__head__is_active=True, delegations_received__head__role=Role.HEAD,
        delegations_received__head__province_id=province_id,
    )  # fmt: skip
    return list(
        User.objects.filter(is_active=True, province_id=province_id)
        .filter(Q(role=Role.HEAD) | acting)
        .distinct()
        .order_by("pk")
    )
