"""Forms of the comments on one line of a monthly report (budgets/views/comments.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from budgets.models import LineComment
from core.widgets import FastSelect

BODY_LENGTH = LineComment._meta.get_field("body").max_length


class CommentAnswerForm(forms.Form):
    body = forms.CharField(label=_("Jawaban"), max_length=BODY_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))


class CommentOpenForm(forms.Form):
    """A new thread: the line, RO row or programme record (``line-<id>`` / ``ro-<id>`` /
    ``<app.model>:<id>``) and the comment. ``records``: the month's ``RecordRow``s."""

    target = forms.ChoiceField(label=_("Baris"), choices=(), widget=FastSelect)  # a month may have 1.000+ records
    body = forms.CharField(label=_("Komentar"), max_length=BODY_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, lines: Any = (), outputs: Any = (), records: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets = (
            {f"line-{line.pk}": line for line in lines}
            | {f"ro-{output.pk}": output for output in outputs}
            | {row.ref: row.record for row in records}
        )
        self.fields["target"].choices = [
            *((f"line-{line.pk}", str(line.label)) for line in lines),
            *((f"ro-{output.pk}", f"RO {output.full_code} {output.name}") for output in outputs),
            *((row.ref, f"{row.title}: {row.label}") for row in records),
        ]

    def target_object(self) -> Any:
        return self.targets[self.cleaned_data["target"]]
