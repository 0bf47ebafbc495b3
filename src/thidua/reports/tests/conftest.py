"""Fixtures shared by the report tests: a year of records under CĐVC Hà Nội."""

from thidua.reports.tests.test_figures_records import year_of_records

__all__ = ["year_of_records"]
