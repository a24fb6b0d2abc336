from alembic import context

from driftline_server.monitoring import models
from driftline_server.platform.migrations import run_env

run_env(context, models.SQLModel.metadata)
