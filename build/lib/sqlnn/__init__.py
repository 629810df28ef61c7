"""sqlnn: neural-network training in SQL, run by dbt. The Python side generates and checks models."""

__version__ = "0.1.0"
