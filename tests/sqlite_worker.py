"""One user's browser and server in a process of its own, against the SQLite FILE named by
DATABASE_URL: the concurrency tests (tests/budgets/test_sqlite_concurrency.py) start several,
so that their requests really run at once on separate connections, as under gunicorn.

    python -m tests.sqlite_worker USER_PK

prints "ready" once signed in, then for each line of JSON on stdin ({"method", "path", "data"})
runs that request and prints one line of JSON: status, Retry-After, content type, the messages
the request added and the body."""

from __future__ import annotations

import json
import os
import sys


def main(user_pk: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ikmsite.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.messages import get_messages
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # "testserver" allowed, e-mail to the in-memory outbox
    client = Client(raise_request_exception=False)  # a 500 must show as a 500, as a user sees it
    client.force_login(get_user_model().objects.get(pk=user_pk))
    print("ready", flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        if request["method"] == "post":
            response = client.post(request["path"], request.get("data", {}))
        else:
            response = client.get(request["path"], request.get("data", {}))
        said = [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]
        print(json.dumps({
            "status": response.status_code,
            "retry_after": response.get("Retry-After"),
            "content_type": response.get("Content-Type"),
            "messages": said,
            "body": response.content.decode(errors="replace"),
        }), flush=True)  # fmt: skip


if __name__ == "__main__":
    main(int(sys.argv[1]))
