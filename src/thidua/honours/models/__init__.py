"""Commendation records: the catalogue's edits, proposals with their candidates and dossiers,
decisions, awards and certificates. One module per part; import them from here."""

from thidua.honours.models.catalogue import BaseSalaryEdit as BaseSalaryEdit
from thidua.honours.models.catalogue import CashRateEdit as CashRateEdit
from thidua.honours.models.catalogue import FormEdit as FormEdit
from thidua.honours.models.catalogue import QuotaEdit as QuotaEdit
