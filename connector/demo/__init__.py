"""`carbonspace demo`: a four-company Korean export chain on loopback (issue 7, item 5)."""

from connector.demo._companies import COMPANIES, Company, changed_mill, load_document, rebind
from connector.demo._run import DemoFailed, run_demo

__all__ = [
    "COMPANIES",
    "Company",
    "DemoFailed",
    "changed_mill",
    "load_document",
    "rebind",
    "run_demo",
]
