"""Grades, the commission's grade, degree votes and results (R32-R35)."""
