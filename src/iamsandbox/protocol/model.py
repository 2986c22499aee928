"""AWS's service models, as botocore ships them: the shapes every protocol module reads.

``ServiceModels`` loads a service's model once (botocore's own loader, which reads the
compressed JSON inside the botocore package) and hands out ``botocore.model.ServiceModel``
and ``OperationModel`` objects. Corrections to a model, where AWS's behaviour differs
from its published shapes, are data in ``patches/<service>.json``, merged over the shapes
and over an operation's ``http`` when loaded (S3's: XML root names, PutBucketPolicy's 204).

The app owns one ``ServiceModels``. The models themselves are read once per process and
shared (``_load``): botocore's files are package data, and a process holding many apps (the
test suite) would otherwise read and decode them for each.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

from botocore.loaders import Loader
from botocore.model import OperationModel, ServiceModel

SERVICES = ("iam", "sts", "s3")


@functools.cache
def _load(name: str) -> ServiceModel:
    raw: dict[str, Any] = Loader().load_service_model(name, "service-2")
    _apply_patches(name, raw)
    return ServiceModel(raw, service_name=name)


class ServiceModels:
    """Service models by botocore service name ("iam", "sts", "s3", ...), loaded once."""

    def __init__(self) -> None:
        self._models: dict[str, ServiceModel] = {}

    def service(self, name: str) -> ServiceModel:
        model = self._models.get(name)
        if model is None:
            model = self._models[name] = _load(name)
        return model

    def operation(self, service: str, operation: str) -> OperationModel:
        """The operation by its AWS name (``CreateRole``); KeyError-free callers should
        check ``operation in models.service(service).operation_names`` first."""
        return self.service(service).operation_model(operation)


def _apply_patches(service: str, raw: dict[str, Any]) -> None:
    patch = resources.files("iamsandbox.protocol").joinpath("patches", f"{service}.json")
    if not patch.is_file():
        return
    corrections = json.loads(patch.read_text())
    for shape_name, fields in corrections.get("shapes", {}).items():
        shape = raw["shapes"].setdefault(shape_name, {})
        added = fields.get("addMembers", {})  # members AWS answers that the model lacks
        shape.update({key: value for key, value in fields.items() if key not in ("addMembers", "membersFirst")})
        if added:
            shape["members"] = {**shape.get("members", {}), **added}
        first = fields.get("membersFirst", [])  # the members S3 writes before the model's order
        if first:
            members = shape["members"]
            shape["members"] = {**{name: members[name] for name in first}, **members}
    for operation, fields in corrections.get("operations", {}).items():
        raw["operations"][operation]["http"].update(fields.get("http", {}))
