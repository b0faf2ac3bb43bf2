"""The database: models, repositories (add and flush, never commit), the unit of work, migrations."""
