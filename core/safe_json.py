"""JSON for HTTP bodies with ``<``, ``>`` and ``&`` written as ``\\u`` escapes: the same JSON to
every parser, but text a user typed (a filter value echoed in a 400, a name in an export) is
never markup, even for a browser or proxy that ignores the JSON content type. Django's
``json_script`` escapes the same characters."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def dumps(value: Any, **kwargs: Any) -> str:
    return json.dumps(value, **kwargs).translate(_ESCAPES)


class SafeJSONEncoder(DjangoJSONEncoder):
    """For ``JsonResponse(..., encoder=SafeJSONEncoder)``."""

    def encode(self, o: Any) -> str:
        return super().encode(o).translate(_ESCAPES)
