"""Background tasks of the upload flow (django-tasks; the database backend's worker runs them,
started by `make run`; tests run them immediately)."""

from __future__ import annotations

from django_tasks import task

from imports.worker import check_upload, run_import


@task()
def check_upload_task(upload_id: int) -> None:
    check_upload(upload_id)


@task()
def import_upload_task(upload_id: int) -> None:
    run_import(upload_id)
