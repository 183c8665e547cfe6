"""Token authentication: ``Authorization: Bearer <key>`` and nothing else (no session, no cookie:
a browser signed in to the site is not signed in to the API).

A valid key makes ``request.user`` the token's account, so that everything below (scoped(), the
page cache's scope key, the history's user) treats the request as that account's. A refused one
is a 401 with the reason and an audit line; the checks themselves are accounts/api_tokens.py's.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from accounts import api_tokens
from accounts.models import ApiToken
from api.errors import TokenRefused
from core.audit_log import audit

# last_used_at is written when the stored time is older than this: not an UPDATE on every request
# (each request has its own row in the log anyway).
LAST_USED_RESOLUTION = timedelta(seconds=60)


class TokenAuth(HttpBearer):
    def __call__(self, request: HttpRequest) -> ApiToken | None:
        token = super().__call__(request)
        if token is None:
            # No bearer header at all (ninja answers 401 through api/errors.py); still audited.
            audit("api_token_refused", level=logging.WARNING, reason="missing", path=request.path[:300])
        return token

    def authenticate(self, request: HttpRequest, key: str) -> ApiToken:
        now = timezone.now()
        prefix = api_tokens.parse_prefix(key)
        token = None
        if prefix is not None:
            token = ApiToken.objects.select_related("user__province").filter(prefix=prefix).first()
        refusal = api_tokens.check(token, key, now)
        if refusal is not None:
            audit("api_token_refused", level=logging.WARNING, reason=refusal.reason, token=prefix,
                  path=request.path[:300])  # fmt: skip
            raise TokenRefused(refusal.message)
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        request.user = token.user
        request.api_token = token  # for the log (api/usage.py)
        return token
