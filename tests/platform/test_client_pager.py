"""The client's one pager (driftline._pagination.Pager) over a List RPC's pages: lazy, with a
page size, a limit and a starting token, on the real request and response messages."""

from __future__ import annotations

import pytest

from driftline._pagination import Pager
from driftline.jobs.v1 import job_pb2, jobs_service_pb2 as pb

JOBS = [job_pb2.Job(id=f"j{i:03d}") for i in range(23)]


class Listing:
    """A List RPC's answers: pages of the asked size (10 by default), tokens as offsets."""

    def __init__(self):
        self.requests: list[pb.ListJobsRequest] = []

    def __call__(self, method, request, idempotent=False):
        assert method == "ListJobs" and idempotent
        self.requests.append(pb.ListJobsRequest.FromString(request.SerializeToString()))
        start = int(request.page_token or 0)
        end = start + (request.page_size or 10)
        return pb.ListJobsResponse(jobs=JOBS[start:end],
                                   next_page_token=str(end) if end < len(JOBS) else "")


def test_pages_are_fetched_only_as_iteration_needs_them():
    call = Listing()
    pager = Pager(call, "ListJobs", pb.ListJobsRequest(filter=pb.JobFilter(project_id="p")), "jobs",
                  lambda job: job.id)
    assert call.requests == []  # nothing until iterated
    assert next(pager) == "j000" and len(call.requests) == 1
    assert [next(pager) for _ in range(10)][-1] == "j010" and len(call.requests) == 2
    assert list(pager) == [job.id for job in JOBS[11:]]  # an iterator: it goes on
    assert list(pager) == [] and next(pager, None) is None  # and is consumed once
    assert [r.page_token for r in call.requests] == ["", "10", "20"]
    assert {r.filter.project_id for r in call.requests} == {"p"}


def test_page_size_and_limit():
    call = Listing()
    assert len(list(Pager(call, "ListJobs", pb.ListJobsRequest(), "jobs", page_size=4))) == 23
    assert {r.page_size for r in call.requests} == {4} and len(call.requests) == 6
    call.requests.clear()
    limited = list(Pager(call, "ListJobs", pb.ListJobsRequest(), "jobs", page_size=5, limit=7))
    assert [job.id for job in limited] == [f"j{i:03d}" for i in range(7)]
    assert len(call.requests) == 2  # no page past the limit
    call.requests.clear()
    assert [job.id for job in Pager(call, "ListJobs", pb.ListJobsRequest(), "jobs",
                                    page_size=50, limit=3)] == ["j000", "j001", "j002"]
    assert call.requests[0].page_size == 3  # no larger page than the limit needs
    assert list(Pager(call, "ListJobs", pb.ListJobsRequest(), "jobs", limit=0)) == []


def test_a_page_token_starts_where_a_listing_left_off():
    call = Listing()
    rest = Pager(call, "ListJobs", pb.ListJobsRequest(), "jobs", lambda job: job.id,
                 page_token="20")
    assert list(rest) == ["j020", "j021", "j022"]


def test_the_request_given_is_not_changed():
    request = pb.ListJobsRequest(filter=pb.JobFilter(project_id="p"))
    list(Pager(Listing(), "ListJobs", request, "jobs", page_size=4))
    assert request == pb.ListJobsRequest(filter=pb.JobFilter(project_id="p"))


@pytest.mark.parametrize("options", [{"page_size": -1}, {"limit": -1}])
def test_bad_sizes_are_refused(options):
    with pytest.raises(ValueError):
        Pager(Listing(), "ListJobs", pb.ListJobsRequest(), "jobs", **options)
