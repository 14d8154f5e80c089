"""Alembic environment: runs migrations on the connection the application hands over."""

from alembic import context
from sqlalchemy import create_engine

from facilitation.models import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    """Run migrations on the given connection, or on sqlalchemy.url from the alembic CLI."""
    connection = config.attributes.get("connection")
    if connection is None:
        engine = create_engine(config.get_main_option("sqlalchemy.url"))
        with engine.begin() as connection:
            _migrate(connection)
    else:
        _migrate(connection)


def _migrate(connection) -> None:  # noqa: ANN001
    """Configure the context for one connection and run the pending revisions."""
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


run()
