from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from accounts.forms import IkmaAuthenticationForm
from accounts.middleware import MUST_CHANGE_PASSWORD


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
        return response
