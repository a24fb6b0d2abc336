"""Page tokens: opaque, bound to their query, and keyset paging by (time, id)."""

from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from driftline_server.platform import paging
from driftline_server.platform.errors import InvalidArgument


class Row:
    def __init__(self, i: int):
        self.create_time = datetime(2026, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=i // 2)
        self.id = f"{i:04d}"


def test_tokens_walk_every_row_once_and_belong_to_their_query():
    engine = sa.create_engine("sqlite://")
    table = sa.Table("t", sa.MetaData(), sa.Column("id", sa.String, primary_key=True),
                     sa.Column("create_time", sa.DateTime(timezone=True)))
    table.metadata.create_all(engine)
    rows = [Row(i) for i in range(25)]  # pairs of rows share a creation time
    with engine.begin() as connection:
        connection.execute(table.insert(), [{"id": r.id, "create_time": r.create_time} for r in rows])
        seen, token, query = [], "", paging.fingerprint("t", "filter")
        while True:
            page = paging.parse(10, token, query)
            statement = paging.by_time_and_id(sa.select(table), page, table.c.create_time, table.c.id)
            fetched = connection.execute(statement).all()
            got, token = paging.time_and_id_page(page, fetched)
            seen += [r.id for r in got]
            if not token:
                break
            with pytest.raises(InvalidArgument) as raised:
                paging.parse(10, token, paging.fingerprint("t", "another filter"))
            assert raised.value.reason == "INVALID_PAGE_TOKEN"
    assert seen == [r.id for r in rows]


@pytest.mark.parametrize("token", ["garbage", "bm90IGEgdG9rZW4=", "eyJxIjogMX0="])
def test_damaged_tokens_are_invalid_arguments(token):
    with pytest.raises(InvalidArgument) as raised:
        paging.parse(10, token, "q")
    assert raised.value.violations[0].field == "page_token"


def test_page_size_defaults_caps_and_rejects_negative():
    assert paging.parse(0, "", "q").size == paging.DEFAULT_PAGE_SIZE
    assert paging.parse(10**6, "", "q").size == paging.MAX_PAGE_SIZE
    with pytest.raises(InvalidArgument) as raised:
        paging.parse(-1, "", "q")
    assert raised.value.reason == "INVALID_PAGE_SIZE"
