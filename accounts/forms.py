from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts.models import Delegation


class IkmaAuthenticationForm(AuthenticationForm):
    """Django's sign-in form, plus: an account without a usable role cannot sign in."""

    # Django's Indonesian catalogue repeats "nama pengguna" here; one clear sentence, with no
    # hint which of the two was wrong.
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Nama pengguna atau kata sandi salah. Periksa keduanya; huruf besar dan kecil dibedakan."),
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Kata sandi")

    def clean(self) -> dict:
        username = self.cleaned_data.get("username")
        # Django sets the username field's max_length after the field is built, so the length is
        # not checked: a longer name reached authenticate(), and django-axes could not record the
        # failed attempt (its username column holds 255 characters: a server error on
        # PostgreSQL). No account has such a name.
        if username is not None and len(username) > self.fields["username"].max_length:
            raise self.get_invalid_login_error()
        return super().clean()

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        problem = user.access_problem
        if problem:
            raise forms.ValidationError(problem, code="no_access")


class DelegationForm(forms.ModelForm):
    """A head names the acting head (Plh/Plt) of a period: an account of the same province."""

    class Meta:
        model = Delegation
        fields = ["acting", "kind", "starts_on", "ends_on", "decree"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, head, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.head = head
        candidates = get_user_model().objects.filter(province_id=head.province_id, is_active=True).exclude(pk=head.pk)
        self.fields["acting"].queryset = candidates.order_by("username")
        self.fields["acting"].label_from_instance = lambda user: (
            f"{user.get_full_name()} ({user.username})" if user.get_full_name() else user.username
        )
