"""MonitoringService operations of ``driftline.Client``: model references.

A reference is the stored data of a time range that a model's production data is compared
with. ``set_model_reference`` starts the job that fits it and returns the job's id: wait for it
with ``wait_job_completion``. A model keeps every reference it had, numbered 1, 2, ...; its
newest COMPLETE one is active. Times take epoch seconds or datetimes (naive ones are UTC).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

from driftline._data import _timestamp
from driftline._pagination import paginate
from driftline._transport import Transport
from driftline.monitoring.v1 import (
    monitoring_pb2,
    monitoring_service_pb2 as pb,
    monitoring_service_pb2_grpc,
)


class MonitoringMethods:
    """Mixed into ``driftline.Client``; expects ``self._transport`` and ``self._monitoring``."""

    _transport: Transport
    _monitoring: monitoring_service_pb2_grpc.MonitoringServiceStub

    def set_model_reference(
        self,
        model_id: str,
        from_timestamp,
        to_timestamp,
        *,
        request_id: str | None = None,
    ) -> str:
        """Set the model's reference to the task's stored samples (historical and production)
        in ``[from_timestamp, to_timestamp)``. The new reference is numbered after the model's
        previous ones, which are kept; it becomes the active one once its job has fitted the
        profiles and calibrated the detectors. The job fails, naming the count, when the range
        holds fewer samples than the server's minimum (300 by default).

        ``request_id`` (generated when not given) makes a retry safe. Returns the id of the job
        (at least PROJECT_USER).

        Example:
            >>> job_id = client.set_model_reference(model_id, from_timestamp=1.7e9,
            ...                                     to_timestamp=1.7e9 + 30 * 86400)
            >>> client.wait_job_completion(job_id)
            >>> client.get_model_reference(model_id).version
            1
        """
        request = pb.SetModelReferenceRequest(
            model_id=model_id, from_time=_timestamp(from_timestamp),
            to_time=_timestamp(to_timestamp), request_id=request_id or uuid.uuid4().hex)
        # The request id makes the call safe to send again.
        return self._transport.call(self._monitoring.SetModelReference, request,
                                    idempotent=True).job_id

    def get_model_reference(
        self, model_id: str, version: int | None = None
    ) -> monitoring_pb2.ModelReference:
        """The model's active reference (its newest COMPLETE one), or the one numbered
        ``version``: its state, time range, samples, what it monitors with each detector's
        calibrated thresholds, and the targets it left out (at least PROJECT_VIEW). A model
        without a COMPLETE reference has no active one (NotFoundError says why).

        Example:
            >>> reference = client.get_model_reference(model_id)
            >>> [(monitoring_pb2.MonitoringTarget.Name(q.target), q.feature)
            ...  for q in reference.quantities][:2]
            [('MONITORING_TARGET_INPUT', 'age'), ('MONITORING_TARGET_INPUT', 'plan')]
            >>> client.get_model_reference(model_id, version=1).active
            False
        """
        request = pb.GetModelReferenceRequest(model_id=model_id, version=version or 0)
        return self._transport.call(self._monitoring.GetModelReference, request,
                                    idempotent=True).reference

    def get_model_references(self, model_id: str) -> Iterator[monitoring_pb2.ModelReference]:
        """Every reference of the model, version 1 first, whatever its state. Lazy: pages are
        fetched as you iterate (at least PROJECT_VIEW).

        Example:
            >>> [(r.version, r.active) for r in client.get_model_references(model_id)]
            [(1, False), (2, True)]
        """
        request = pb.ListModelReferencesRequest(model_id=model_id)

        def fetch(token: str):
            request.page_token = token
            response = self._transport.call(self._monitoring.ListModelReferences, request,
                                            idempotent=True)
            return list(response.references), response.next_page_token

        return paginate(fetch)
