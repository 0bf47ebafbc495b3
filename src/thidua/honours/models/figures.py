"""Award figures kept per unit and year (ADR 0034)."""

from __future__ import annotations

from django.db import models


class AwardFigure(models.Model):
    """How many awards of `year` (not revoked) went to people and collectives whose home unit
    is `unit`, by issuer, form and kind of recipient: `key` is "<issuer id>|<form>|<cn|tt>"
    (`honours.figures.figure_key`). The year-end report and the dashboard sum a subtree's rows
    instead of counting its awards (2 million nationally). Kept by `honours.figures`;
    `figures-check` recomputes it."""

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=80)
    awards = models.IntegerField(default=0)

    class Meta:
        constraints = [
            # a subtree's figures: WHERE year IN (…) AND unit_id IN (the subtree's units) GROUP
            # BY key (a range scan per unit and year), and the upsert's conflict target
            models.UniqueConstraint(fields=["year", "unit", "key"],
                                    name="awardfigure_year_unit_key"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year} {self.key}: {self.awards}"
