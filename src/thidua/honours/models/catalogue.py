"""The award catalogue's edits, layered over `rules/awards.toml` by `thidua.honours.catalogue`.

Each row holds from `valid_from` (inclusive) to `valid_to` (exclusive, None: open), cites the
document that sets it (`source`) and records who entered it and when. Rows are never deleted: a
later edit of the same key ends the open row on its own first day, so the history stays."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

RECIPIENT_CHOICES = [("", "Mọi đối tượng"), ("ca_nhan", "Cá nhân"), ("tap_the", "Tập thể")]


class CatalogueEdit(models.Model):
    valid_from = models.DateField("áp dụng từ ngày")
    valid_to = models.DateField("đến trước ngày", null=True, blank=True)
    source = models.CharField("căn cứ", max_length=255)
    note = models.CharField("ghi chú", max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def in_force(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)


class FormEdit(CatalogueEdit):
    """A form's name or end date as a later document sets them (blank name: unchanged)."""

    form_code = models.CharField("hình thức", max_length=40)
    name = models.CharField("tên", max_length=255, blank=True)
    form_valid_to = models.DateField("hết hiệu lực từ ngày", null=True, blank=True)

    class Meta:
        verbose_name = "sửa hình thức khen thưởng"
        verbose_name_plural = "sửa hình thức khen thưởng"
        ordering = ["form_code", "valid_from"]
        constraints = [models.UniqueConstraint(fields=["form_code", "valid_from"],
                                               name="formedit_code_from")]

    def __str__(self) -> str:
        return f"{self.form_code}@{self.valid_from}"


class QuotaEdit(CatalogueEdit):
    """A quota's figure (the catalogue's quota code of that form)."""

    form_code = models.CharField("hình thức", max_length=40)
    quota_code = models.CharField("tỷ lệ, số lượng", max_length=60)
    value = models.PositiveIntegerField("giá trị")

    class Meta:
        verbose_name = "sửa tỷ lệ, số lượng"
        verbose_name_plural = "sửa tỷ lệ, số lượng"
        ordering = ["form_code", "quota_code", "valid_from"]
        constraints = [models.UniqueConstraint(fields=["quota_code", "valid_from"],
                                               name="quotaedit_code_from")]

    def __str__(self) -> str:
        return f"{self.quota_code}@{self.valid_from}"


class CashRateEdit(CatalogueEdit):
    """A cash multiple (× lương cơ sở) of a form or title for a recipient ("" = any)."""

    form_code = models.CharField("hình thức, danh hiệu", max_length=40)
    recipient = models.CharField("đối tượng", max_length=10, blank=True, choices=RECIPIENT_CHOICES)
    multiple = models.DecimalField("hệ số", max_digits=7, decimal_places=3)

    class Meta:
        verbose_name = "mức tiền thưởng"
        verbose_name_plural = "mức tiền thưởng"
        ordering = ["form_code", "recipient", "valid_from"]
        constraints = [models.UniqueConstraint(fields=["form_code", "recipient", "valid_from"],
                                               name="cashedit_code_recipient_from")]

    def __str__(self) -> str:
        return f"{self.form_code}/{self.recipient}@{self.valid_from}"


class BaseSalaryEdit(models.Model):
    """A row of the base salary table (lương cơ sở) from its day on, until the next row."""

    amount = models.PositiveIntegerField("mức lương cơ sở (đồng)")
    valid_from = models.DateField("áp dụng từ ngày", unique=True)
    source = models.CharField("căn cứ", max_length=255)
    note = models.CharField("ghi chú", max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "mức lương cơ sở"
        verbose_name_plural = "mức lương cơ sở"
        ordering = ["valid_from"]

    def __str__(self) -> str:
        return f"{self.amount}@{self.valid_from}"
