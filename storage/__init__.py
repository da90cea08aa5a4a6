"""Persistence for Backcoach: SQLAlchemy models, repositories, unit of work, migrations."""
