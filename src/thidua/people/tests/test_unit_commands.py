import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from thidua.org.models import Unit
from thidua.org.selectors import version_at

pytestmark = pytest.mark.django_db


def test_units_command_records_events(world):
    call_command("units", "create", "CDCS-N", "Công đoàn Sở Nội vụ", "--type", "cdcs",
                 "--parent", "CDVC-HN", "--date", "01/01/2015")
    call_command("units", "rename", "CDCS-N", "Công đoàn Sở Nội vụ Hà Nội", "--date", "2018-01-01",
                 "--decision", "12/QĐ-CĐVC")
    call_command("units", "move", "CDCS-N", "--to", "LDLD-HBT", "--date", "2019-01-01")
    unit = Unit.objects.get(code="CDCS-N")
    assert version_at(unit, dt.date(2017, 1, 1)).name == "Công đoàn Sở Nội vụ"
    assert version_at(unit, dt.date(2019, 1, 1)).parent.code == "LDLD-HBT"
    call_command("units", "dissolve", "CDCS-N", "--date", "2020-01-01")
    assert Unit.objects.get(code="CDCS-N").valid_to == dt.date(2020, 1, 1)


def test_units_command_reports_refusals_in_vietnamese(world):
    with pytest.raises(CommandError, match="trực thuộc nó"):
        call_command("units", "move", "CDVC-HN", "--to", "CDCS-A", "--date", "2020-01-01")
    with pytest.raises(CommandError, match="không hợp lệ"):
        call_command("units", "rename", "CDCS-A", "X", "--date", "31/02/2020")
