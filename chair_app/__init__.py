"""Chair: the child protection conference chair's desk."""

__version__ = "0.1.0"
