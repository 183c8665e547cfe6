from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext

from accounts.access import data_access_required
from accounts.delegation import delegation_end, delegation_record
from accounts.forms import DelegationForm, IkmaAuthenticationForm
from accounts.middleware import MUST_CHANGE_PASSWORD, clock
from accounts.models import Delegation
from accounts.roles import Can
from accounts.signals import password_change_failed

# Session key: times of the wrong current passwords typed on the password change page. Kept in
# the session (shared by every worker, unlike a per-process cache): a new session needs the
# password, so whoever guesses cannot start the count afresh.
PASSWORD_CHANGE_FAILURES = "password_change_failures"  # noqa: S105 (a session key, not a password)


class LoginView(auth_views.LoginView):
    form_class = IkmaAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password-change-done")

    def form_valid(self, form):
        response = super().form_valid(form)
        # The new password passed the validators (the demo password among the refused ones):
        # the rest of the site opens again.
        self.request.session.pop(MUST_CHANGE_PASSWORD, None)
        self.request.session.pop(PASSWORD_CHANGE_FAILURES, None)
        return response

    def form_invalid(self, form):
        """A wrong current password is counted and audited: someone at a computer left signed in
        must not guess it without limit (and so take the account). The limit signs them out."""
        if not form.has_error("old_password", "password_incorrect"):
            return super().form_invalid(form)
        request, now = self.request, clock()
        window = settings.PASSWORD_CHANGE_FAILURE_WINDOW
        failures = [at for at in request.session.get(PASSWORD_CHANGE_FAILURES, []) if now - at < window] + [now]
        signed_out = len(failures) >= settings.PASSWORD_CHANGE_FAILURE_LIMIT
        password_change_failed.send(
            sender=type(self), request=request, user=request.user, failures=len(failures), signed_out=signed_out
        )
        if not signed_out:
            request.session[PASSWORD_CHANGE_FAILURES] = failures
            return super().form_invalid(form)
        logout(request)
        messages.error(
            request, gettext("Kata sandi saat ini salah terlalu sering. Anda telah dikeluarkan; masuk lagi.")
        )
        return redirect(settings.LOGIN_URL)


@data_access_required(Can.VERIFY)  # permissions.may_delegate: the head's own role
def delegations(request: HttpRequest) -> HttpResponse:
    """The head's delegations to an acting head (Plh/Plt): listed, recorded, ended."""
    head = request.user
    form = DelegationForm(head=head)
    if request.method == "POST":
        if "end" in request.POST:
            delegation = get_object_or_404(Delegation, pk=request.POST.get("end") or 0, head=head)
            try:
                delegation_end(delegation=delegation, by=head)
                messages.success(request, gettext("Pelimpahan diakhiri."))
            except ValidationError as refusal:
                for message in refusal.messages:
                    messages.error(request, message)
            return redirect("accounts:delegations")
        form = DelegationForm(request.POST, head=head)
        if form.is_valid():
            delegation_record(form=form, by=head)
            messages.success(request, gettext("Pelimpahan dicatat."))
            return redirect("accounts:delegations")
    listed = Delegation.objects.filter(head=head).select_related("acting").order_by("-starts_on", "-pk")
    return render(request, "accounts/delegations.html", {"form": form, "delegations": listed,
                                                         "today": timezone.localdate()})  # fmt: skip
