"""Targets (chỉ tiêu), welfare (chăm lo), Party development and the family and agency culture
titles per year: the records the year-end report and the dashboard read beside the roster,
ratings, titles, initiatives and awards of the apps below (issue 11)."""
