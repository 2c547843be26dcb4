"""Plain data types and enums of the conference record: no Qt, no SQLAlchemy."""
