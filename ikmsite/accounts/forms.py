from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm


class IkmaAuthenticationForm(AuthenticationForm):
    """Django's sign-in form, plus: an account without a usable role cannot sign in."""

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        problem = user.access_problem
        if problem:
            raise forms.ValidationError(problem, code="no_access")
