"""E-mail through an outbox (``core.models.OutgoingMail``): each message is stored first, then
sent; one that fails stays unsent with its error (logged, and listed in the admin) and is tried
again by the next ``deliver_unsent``, which every send, ``send_mail_outbox`` and
``send_reminders`` run. Nothing is lost silently when the mail server is down."""

from __future__ import annotations

import contextlib
import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone

from core.models import OutgoingMail

logger = logging.getLogger(__name__)
# After this many failures a message is left for the admin (its error is in the list); a
# mistyped address must not be retried forever, and the admin can reset attempts to retry.
MAX_ATTEMPTS = 10


def send(subject: str, body: str, recipients: list[str]) -> int:
    """Queue one e-mail per address and try to deliver them (with any still unsent); the
    number of this call's e-mails that went out."""
    queued = OutgoingMail.objects.bulk_create(
        [OutgoingMail(subject=subject, body=body, recipient=address) for address in recipients]
    )
    delivered = deliver(queued)
    deliver_unsent(exclude=[mail.pk for mail in queued])
    return delivered


def deliver_unsent(exclude: list[int] | None = None) -> tuple[int, int]:
    """Try every unsent e-mail again; (sent, still unsent)."""
    pending = list(
        OutgoingMail.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
        .exclude(pk__in=exclude or [])
        .order_by("created_at")
    )
    sent = deliver(pending)
    return sent, len(pending) - sent


def deliver(mails: list[OutgoingMail]) -> int:
    if not mails:
        return 0
    sent = 0
    try:
        connection = get_connection(fail_silently=False)
        connection.open()
    except Exception as error:  # any failure to reach the server keeps them queued
        for mail in mails:
            _failed(mail, error)
        return 0
    try:
        for mail in mails:
            try:
                EmailMessage(mail.subject, mail.body, settings.DEFAULT_FROM_EMAIL, [mail.recipient],
                             connection=connection).send()  # fmt: skip
            except Exception as error:  # one bad message must not stop the others
                _failed(mail, error)
            else:
                mail.attempts += 1
                mail.last_attempt_at = mail.sent_at = timezone.now()
                mail.last_error = ""
                mail.save(update_fields=["attempts", "last_attempt_at", "sent_at", "last_error"])
                sent += 1
    finally:
        # A failure to say goodbye changes nothing: each message's outcome is recorded above.
        with contextlib.suppress(Exception):
            connection.close()
    return sent


def _failed(mail: OutgoingMail, error: BaseException) -> None:
    mail.attempts += 1
    mail.last_attempt_at = timezone.now()
    mail.last_error = f"{type(error).__name__}: {error}"[:2000]
    mail.save(update_fields=["attempts", "last_attempt_at", "last_error"])
    logger.warning("e-mail %s to %s not sent (attempt %s): %s", mail.pk, mail.recipient, mail.attempts, mail.last_error)
