"""The national shape: 63 provincial federations before 01/07/2025, merged into 34 on that day,
and the central sector unions.

The provinces, their CCCD codes and the 2025 merger follow the administrative map (Nghị quyết
202/2025/QH15, in force 01/07/2025); the federations of the merged provinces are modelled as
merging on the same day into the federation of the province that keeps its name. The sector
unions are the kinds TLĐ has (Công đoàn ngành Trung ương, Công đoàn tổng công ty trực thuộc);
their list is illustrative. Weights (share of grassroots unions) are rough orders of size, not
statistics."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

MERGER_DAY = dt.date(2025, 7, 1)
MERGER_BASIS = "Nghị quyết 202/2025/QH15 sắp xếp đơn vị hành chính cấp tỉnh (minh họa cho Công đoàn)"


@dataclass(frozen=True)
class Federation:
    code: str
    name: str
    type: str  # UnitType value
    weight: float
    cccd: int = 0  # province code of CCCD (001–096); 0 for sector unions


def _p(code: str, name: str, cccd: int, weight: float = 1.0, city: bool = False) -> Federation:
    kind = "thành phố" if city else "tỉnh"
    return Federation(f"LDLD-{code}", f"Liên đoàn Lao động {kind} {name}", "ldld_tinh", weight,
                      cccd)


PROVINCES: list[Federation] = [
    _p("HNI", "Hà Nội", 1, 8, True), _p("HGI", "Hà Giang", 2, 0.4), _p("CBG", "Cao Bằng", 4, 0.4),
    _p("BKN", "Bắc Kạn", 6, 0.3), _p("TQG", "Tuyên Quang", 8, 0.5), _p("LCI", "Lào Cai", 10, 0.6),
    _p("DBN", "Điện Biên", 11, 0.4), _p("LCU", "Lai Châu", 12, 0.3), _p("SLA", "Sơn La", 14, 0.6),
    _p("YBI", "Yên Bái", 15, 0.5), _p("HBH", "Hòa Bình", 17, 0.6),
    _p("TNN", "Thái Nguyên", 19, 1.2), _p("LSN", "Lạng Sơn", 20, 0.5),
    _p("QNH", "Quảng Ninh", 22, 1.5), _p("BGG", "Bắc Giang", 24, 1.6), _p("PTO", "Phú Thọ", 25, 1),
    _p("VPC", "Vĩnh Phúc", 26, 1.2), _p("BNH", "Bắc Ninh", 27, 2.2),
    _p("HDG", "Hải Dương", 30, 1.4), _p("HPG", "Hải Phòng", 31, 2.4, True),
    _p("HYN", "Hưng Yên", 33, 1.1), _p("TBH", "Thái Bình", 34, 1), _p("HNM", "Hà Nam", 35, 0.7),
    _p("NDH", "Nam Định", 36, 1), _p("NBH", "Ninh Bình", 37, 0.7),
    _p("THA", "Thanh Hóa", 38, 2), _p("NAN", "Nghệ An", 40, 1.8), _p("HTH", "Hà Tĩnh", 42, 0.8),
    _p("QBH", "Quảng Bình", 44, 0.6), _p("QTI", "Quảng Trị", 45, 0.5),
    _p("HUE", "Huế", 46, 0.8, True), _p("DNG", "Đà Nẵng", 48, 1.5, True),
    _p("QNM", "Quảng Nam", 49, 1.1), _p("QNI", "Quảng Ngãi", 51, 0.8),
    _p("BDH", "Bình Định", 52, 1), _p("PYN", "Phú Yên", 54, 0.6), _p("KHA", "Khánh Hòa", 56, 1),
    _p("NTN", "Ninh Thuận", 58, 0.4), _p("BTN", "Bình Thuận", 60, 0.8),
    _p("KTM", "Kon Tum", 62, 0.4), _p("GLI", "Gia Lai", 64, 0.8), _p("DLK", "Đắk Lắk", 66, 1),
    _p("DKN", "Đắk Nông", 67, 0.4), _p("LDG", "Lâm Đồng", 68, 0.8),
    _p("BPC", "Bình Phước", 70, 0.9), _p("TNH", "Tây Ninh", 72, 1.2),
    _p("BDG", "Bình Dương", 74, 6), _p("DNI", "Đồng Nai", 75, 4.5),
    _p("BRV", "Bà Rịa - Vũng Tàu", 77, 1.4), _p("HCM", "Hồ Chí Minh", 79, 12, True),
    _p("LAN", "Long An", 80, 2.2), _p("TGG", "Tiền Giang", 82, 1.1), _p("BTE", "Bến Tre", 83, 0.8),
    _p("TVH", "Trà Vinh", 84, 0.6), _p("VLG", "Vĩnh Long", 86, 0.7),
    _p("DTP", "Đồng Tháp", 87, 0.9), _p("AGG", "An Giang", 89, 1),
    _p("KGG", "Kiên Giang", 91, 0.9), _p("CTO", "Cần Thơ", 92, 1, True),
    _p("HGG", "Hậu Giang", 93, 0.5), _p("STG", "Sóc Trăng", 94, 0.6),
    _p("BLU", "Bạc Liêu", 95, 0.5), _p("CMU", "Cà Mau", 96, 0.6),
]

#: survivor code → provinces merged into it on MERGER_DAY (23 mergers: 63 → 34)
MERGERS: dict[str, list[str]] = {
    "LDLD-TQG": ["LDLD-HGI"], "LDLD-LCI": ["LDLD-YBI"], "LDLD-TNN": ["LDLD-BKN"],
    "LDLD-PTO": ["LDLD-VPC", "LDLD-HBH"], "LDLD-BNH": ["LDLD-BGG"], "LDLD-HYN": ["LDLD-TBH"],
    "LDLD-HPG": ["LDLD-HDG"], "LDLD-NBH": ["LDLD-HNM", "LDLD-NDH"], "LDLD-QTI": ["LDLD-QBH"],
    "LDLD-DNG": ["LDLD-QNM"], "LDLD-QNI": ["LDLD-KTM"], "LDLD-GLI": ["LDLD-BDH"],
    "LDLD-KHA": ["LDLD-NTN"], "LDLD-LDG": ["LDLD-DKN", "LDLD-BTN"], "LDLD-DLK": ["LDLD-PYN"],
    "LDLD-HCM": ["LDLD-BDG", "LDLD-BRV"], "LDLD-DNI": ["LDLD-BPC"], "LDLD-TNH": ["LDLD-LAN"],
    "LDLD-CTO": ["LDLD-STG", "LDLD-HGG"], "LDLD-VLG": ["LDLD-BTE", "LDLD-TVH"],
    "LDLD-DTP": ["LDLD-TGG"], "LDLD-CMU": ["LDLD-BLU"], "LDLD-AGG": ["LDLD-KGG"],
}


def _s(code: str, name: str, weight: float, kind: str = "cd_nganh_tw") -> Federation:
    return Federation(f"CDN-{code}", name, kind, weight)


SECTORS: list[Federation] = [
    _s("GD", "Công đoàn Giáo dục Việt Nam", 1.5), _s("YT", "Công đoàn Y tế Việt Nam", 1.2),
    _s("CT", "Công đoàn Công Thương Việt Nam", 1.2), _s("XD", "Công đoàn Xây dựng Việt Nam", 1),
    _s("GT", "Công đoàn Giao thông vận tải Việt Nam", 1),
    _s("NN", "Công đoàn Nông nghiệp và Môi trường Việt Nam", 1),
    _s("NH", "Công đoàn Ngân hàng Việt Nam", 0.8), _s("QP", "Công đoàn Quốc phòng", 0.8),
    _s("CA", "Công đoàn Công an nhân dân", 0.6), _s("TC", "Công đoàn Tài chính Việt Nam", 0.5),
    _s("TT", "Công đoàn Thông tin và Truyền thông Việt Nam", 0.5),
    _s("VC", "Công đoàn Viên chức Việt Nam", 0.8),
    _s("DK", "Công đoàn Dầu khí Việt Nam", 0.5, "cd_tong_cong_ty"),
    _s("DL", "Công đoàn Điện lực Việt Nam", 0.6, "cd_tong_cong_ty"),
    _s("TKV", "Công đoàn Than - Khoáng sản Việt Nam", 0.5, "cd_tong_cong_ty"),
    _s("BD", "Công đoàn Bưu điện Việt Nam", 0.4, "cd_tong_cong_ty"),
    _s("CS", "Công đoàn Cao su Việt Nam", 0.4, "cd_tong_cong_ty"),
    _s("DM", "Công đoàn Dệt May Việt Nam", 0.4, "cd_tong_cong_ty"),
    _s("HK", "Công đoàn Tổng công ty Hàng không Việt Nam", 0.3, "cd_tong_cong_ty"),
    _s("DS", "Công đoàn Đường sắt Việt Nam", 0.3, "cd_tong_cong_ty"),
]

#: national figures at scale 1 (issue 13 §4)
NATIONAL = {
    "cdcs": 126_000, "cap_tren": 1_600, "persons": 11_300_000, "initiatives": 100_000,
    "awards": 2_000_000,
}
YEARS = (2021, 2022, 2023, 2024, 2025)
#: the year the people registered for (đăng ký thi đua): the last whole year before the 2025
#: merger, the year the national benchmarks' pages read (bench_national, bench_web)
REGISTRATION_YEAR = 2024
