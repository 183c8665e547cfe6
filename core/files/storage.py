"""A storage that is always ``settings.STORAGES[alias]`` as configured now.

A FileField keeps the storage instance it was given when the model class was built; the proxy
looks its backend up on every call instead, so a test's ``settings.STORAGES`` override (Django
resets ``storages`` when the setting changes) and a production S3 backend are both honoured.
"""

from __future__ import annotations

from typing import Any

from django.core.files.storage import Storage, storages


class AliasedStorage(Storage):
    def __init__(self, alias: str) -> None:
        self.alias = alias

    @property
    def backend(self) -> Storage:
        return storages[self.alias]

    def _open(self, name: str, mode: str = "rb") -> Any:
        return self.backend.open(name, mode)

    def _save(self, name: str, content: Any) -> str:
        return self.backend.save(name, content)

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return self.backend.get_available_name(name, max_length)

    def delete(self, name: str) -> None:
        self.backend.delete(name)

    def exists(self, name: str) -> bool:
        return self.backend.exists(name)

    def size(self, name: str) -> int:
        return self.backend.size(name)

    def path(self, name: str) -> str:
        return self.backend.path(name)

    def url(self, name: str) -> str:
        return self.backend.url(name)

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        return self.backend.listdir(path)
