from alembic import context

from driftline_server.data import models
from driftline_server.platform.migrations import run_env

run_env(context, models.SQLModel.metadata)
