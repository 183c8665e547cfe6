"""The version of the data the reports read, raised by database triggers on every write."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DataVersion(models.Model):
    """One counter per kind of data (``core.data_version``). Triggers on the watched tables
    raise it when a transaction that wrote to them commits, so cached report pages keyed by it
    are never older than the data: a change shows in the next request."""

    name = models.CharField(_("nama"), max_length=30, primary_key=True)
    version = models.BigIntegerField(_("versi"), default=0)

    class Meta:
        # Created by budgets (its migration 0004) before the data version moved to core.
        db_table = "budgets_dataversion"
        verbose_name = _("versi data")
        verbose_name_plural = pgettext_lazy("jamak", "versi data")

    def __str__(self) -> str:
        return f"{self.name} {self.version}"


class OutgoingMail(models.Model):
    """One e-mail to one address, kept until delivered (``core.mail_outbox``): a mail server
    that is down when a report is returned must not lose the officer's notice. The workflow
    step has committed by then; the e-mail waits here with its error, visible to the admin,
    and the next send, ``send_mail_outbox`` or ``send_reminders`` tries it again."""

    subject = models.CharField(_("subjek"), max_length=255)
    body = models.TextField(_("isi"))
    recipient = models.EmailField(_("penerima"))
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    attempts = models.PositiveIntegerField(_("percobaan"), default=0)
    last_attempt_at = models.DateTimeField(_("percobaan terakhir"), null=True, blank=True)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    sent_at = models.DateTimeField(_("terkirim"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail keluar")
        verbose_name_plural = pgettext_lazy("jamak", "e-mail keluar")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["sent_at", "created_at"], name="outgoingmail_unsent")]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.subject}"


class Notification(models.Model):
    """One message in a user's in-app inbox (``core.inbox``): what the e-mail says, kept on the
    site with its link, until read. The bell in the navbar counts the unread ones."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("penerima"), on_delete=models.CASCADE, related_name="notifications"
    )
    subject = models.CharField(_("subjek"), max_length=255)
    body = models.TextField(_("isi"), blank=True)
    # A site path ("/monthly-reports/3/") or an absolute address of this site (settings.SITE_URL).
    url = models.CharField(_("tautan"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = pgettext_lazy("jamak", "notifikasi")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.subject}"
