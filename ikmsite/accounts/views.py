from __future__ import annotations

from django.contrib.auth import views as auth_views

from ikmsite.accounts.forms import IkmaAuthenticationForm


class LoginView(auth_views.LoginView):
    form_class = IkmaAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
