"""Demo data for `manage.py load_demo_data` (see docs/demo-data.md). Not used in production."""
