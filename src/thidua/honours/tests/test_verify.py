"""The public check of a certificate, without login: the facts printed on it and nothing else,
the signature of the stored PDF, one answer for every unknown code, the rate limit, the
revocation list, and `thidua certificates verify|export`."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from thidua import cli
from thidua.honours import services
from thidua.honours.models import Award, Certificate, Decision
from thidua.honours.services.certificates import certificates_render
from thidua.honours.services.decisions import CODE_ALPHABET
from thidua.honours.tests.conftest import SIGNED, draft, to_vote
from thidua.platform.pdf import page_count
from thidua.platform.signing import make_pkcs12
from thidua.platform.tests.tools import pdfsig
from thidua.testing import World

pytestmark = pytest.mark.django_db
REVOKED_ON = dt.date(2025, 3, 1)


@pytest.fixture(autouse=True)
def fresh_limits() -> Iterator[None]:
    cache.clear()  # the rate limit counts per client address across tests otherwise
    yield
    cache.clear()


@pytest.fixture
def keyed(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.THIDUA_SIGNING_DIR = tmp_path / "keys"
    make_pkcs12(tmp_path / "keys" / "CDVC-HN.p12", common_name="Nguyễn Văn Chủ",
                organisation="Công đoàn Viên chức thành phố Hà Nội", passphrase=b"")


def printed(w: World, people: int = 2) -> Decision:
    p = to_vote(w, draft(w, people=people))
    d = services.decision_issue(actor=w.officer_above, issuer=w.cdvc, proposals=[p],
                                signed=SIGNED)
    certificates_render(actor=w.officer_above, decision=d)
    return d


def member_certificate(d: Decision, w: World) -> Certificate:
    return Certificate.objects.select_related("award").get(award__decision=d, award__person=w.member)


def page(client: Client, code: str) -> Any:
    return client.get(reverse("verify:code", kwargs={"code": code}))


def test_the_page_shows_the_facts_and_nothing_personal(world: World, keyed: None,
                                                        client: Client) -> None:
    w = world
    d = printed(w)
    cert = member_certificate(d, w)
    response = page(client, cert.code)
    assert response.status_code == 200
    body = response.content.decode()
    for fact in ("còn hiệu lực", "Giấy khen", "Công đoàn Viên chức thành phố Hà Nội",
                 "Trần Thị Ánh", f"Số {d.number} ngày 10/01/2025", "Nguyên vẹn",
                 "Chữ ký số hợp lệ"):
        assert fact in body, fact
    assert f"<dd>{cert.award.golden_book_no}</dd>" in body
    person = w.member
    for secret in (person.cccd, "08/03/1990", "1990-03-08", "Tổ công đoàn Văn phòng",
                   "Công đoàn Sở Tư pháp", "TO-A1", "CDCS-A", person.member_code,
                   "Chuyên viên", "Hoàn thành xuất sắc nhiệm vụ"):
        assert secret and secret not in body, secret
    # the code typed with dashes and in lower case is the same code
    dashed = "-".join(cert.code[i:i + 4] for i in range(0, 20, 4)).lower()
    assert page(client, dashed).status_code == 200
    assert response["X-Robots-Tag"].startswith("noindex")


def test_one_changed_byte_shows_on_the_page_and_in_pdfsig(world: World, keyed: None,
                                                            client: Client,
                                                            tmp_path: Path) -> None:
    w = world
    cert = member_certificate(printed(w), w)
    path = Path(cert.file.path)
    pdf = path.read_bytes()
    position = pdf.index(b"stream", pdf.index(b"/Filter")) + 40
    assert position < pdf.index(b"/Contents <")  # inside the signed byte range
    changed = bytearray(pdf)
    changed[position] ^= 0x01
    path.write_bytes(bytes(changed))
    body = page(client, cert.code).content.decode()
    assert "Không còn giá trị" in body and "Nguyên vẹn" not in body
    assert "bị sửa" in body
    report = pdfsig(bytes(changed), tmp_path)
    assert "Signature #1" in report and "Signature is Valid" not in report


def test_unsigned_pdf_says_so(world: World, settings: Any, tmp_path: Path,
                              client: Client) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.THIDUA_SIGNING_DIR = tmp_path / "no-keys"
    w = world
    cert = member_certificate(printed(w), w)
    body = page(client, cert.code).content.decode()
    assert "Chưa ký số" in body and "chưa ký số" in body


def test_wrong_and_malformed_codes_answer_alike(world: World, keyed: None,
                                                client: Client) -> None:
    printed(world, people=1)
    random_code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(20))
    answers = [page(client, c) for c in (random_code, "abc", "0000000000", "%3Cscript%3E", "Đ" * 20)]
    assert {a.status_code for a in answers} == {404}
    assert len({a.content for a in answers}) == 1
    assert random_code.encode() not in answers[0].content
    assert "Không có bằng, giấy khen nào mang mã này".encode() in answers[0].content


def test_the_31st_lookup_in_the_window_is_refused(world: World, client: Client) -> None:
    for _ in range(30):
        assert page(client, "A" * 20).status_code == 404
    refused = page(client, "A" * 20)
    assert refused.status_code == 429
    assert "Có quá nhiều lượt xác minh" in refused.content.decode()
    assert int(refused["Retry-After"]) == 600
    # another address still gets its answer
    other = Client(REMOTE_ADDR="203.0.113.9")
    assert page(other, "A" * 20).status_code == 404
    revoked = client.get(reverse("verify:revoked", kwargs={"issuer": "CDVC-HN"}))
    assert revoked.status_code == 429


def test_a_revoked_award_says_so_and_is_in_the_issuers_list(world: World, keyed: None,
                                                            client: Client) -> None:
    w = world
    d = printed(w)
    cert = member_certificate(d, w)
    reason = "Khai man thành tích, bị kỷ luật khiển trách"
    revoking = services.decision_revoke(
        actor=w.officer_above, awards=[Award.objects.get(pk=cert.award_id)], reason=reason,
        signed=services.Signed(REVOKED_ON, "Nguyễn Văn Chủ", "Chủ tịch", "Hà Nội"))
    body = page(client, cert.code).content.decode()
    assert "đã bị thu hồi" in body and f"Quyết định số {revoking.number} ngày 01/03/2025" in body
    assert "còn hiệu lực" not in body and reason not in body
    response = client.get(reverse("verify:revoked", kwargs={"issuer": "CDVC-HN"}))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["issuer"] == "CDVC-HN" and data["name"] == w.cdvc.name and data["generated_at"]
    assert data["revoked"] == [{"code": cert.code, "revoked_on": "2025-03-01",
                                "decision": revoking.number}]
    assert reason not in response.content.decode()
    missing = client.get(reverse("verify:revoked", kwargs={"issuer": "KHONG-CO"}))
    assert missing.status_code == 404


def test_the_form_sends_a_typed_code_to_its_page(client: Client, db: Any) -> None:
    form = client.get(reverse("verify:form"))
    assert form.status_code == 200 and "Mã xác minh" in form.content.decode()
    typed = client.get(reverse("verify:form"), {"ma": " k7qm-2xpa "})
    assert typed.status_code == 302 and typed["Location"] == "/xac-minh/K7QM2XPA/"
    empty = client.get(reverse("verify:form"), {"ma": " "})
    assert empty.status_code == 200 and "Hãy nhập mã xác minh" in empty.content.decode()


def test_cli_verify_prints_the_facts_and_fails_for_an_unknown_code(
        world: World, keyed: None, capsys: pytest.CaptureFixture[str]) -> None:
    w = world
    d = printed(w)
    cert = member_certificate(d, w)
    assert cli.main(["certificates", "verify", cert.code]) == 0
    out = capsys.readouterr().out
    assert "Tình trạng: Còn hiệu lực" in out and "Người, tập thể được khen: Trần Thị Ánh" in out
    assert f"Quyết định: Số {d.number} ngày 10/01/2025" in out
    assert "Chữ ký số: Chữ ký số hợp lệ" in out
    assert w.member.cccd not in out
    assert cli.main(["certificates", "verify", "A" * 20]) == 1
    assert "Không có bằng, giấy khen nào mang mã này" in capsys.readouterr().err
    assert cli.main(["certificates", "verify", "sai-ma"]) == 1
    with pytest.raises(CommandError):
        call_command("certificates", "verify", "B" * 20)


def test_cli_export_writes_the_decisions_pdf(world: World, keyed: None, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    w = world
    p = to_vote(w, draft(w, people=2))
    d = services.decision_issue(actor=w.officer_above, issuer=w.cdvc, proposals=[p],
                                signed=SIGNED)
    out = tmp_path / "giay-khen.pdf"
    code = cli.main(["certificates", "export", "--decision", d.number, "--issuer", "CDVC-HN",
                     "-o", str(out), "--user", "canbo_captren"])
    assert code == 0, capsys.readouterr().err
    assert page_count(out.read_bytes()) == 2
    assert "đã ký số" in capsys.readouterr().out
    assert cli.main(["certificates", "export", "--decision", d.number, "--issuer", "CDVC-HN",
                     "-o", str(out), "--user", "nguoingoai"]) == 1  # another branch's officer
    assert "Không có quyết định số" in capsys.readouterr().err
