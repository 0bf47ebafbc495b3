"""Vietnamese names, positions and unit names for the demo data.

Family names carry rough frequencies of northern Việt Nam; the unit names are those of Hà Nội
city agencies and of the district People's Committee of Hai Bà Trưng, as the seed articles
describe them. The units of the history example are fictional and say so in their names."""

from __future__ import annotations

# (family name, weight in ‰)
FAMILY_NAMES: list[tuple[str, int]] = [
    ("Nguyễn", 360), ("Trần", 110), ("Lê", 90), ("Phạm", 70), ("Hoàng", 50), ("Vũ", 45),
    ("Phan", 30), ("Đặng", 25), ("Bùi", 25), ("Đỗ", 25), ("Ngô", 15), ("Dương", 12),
    ("Đinh", 12), ("Trịnh", 12), ("Đào", 12), ("Hồ", 8), ("Huỳnh", 5), ("Võ", 6), ("Lý", 5),
    ("Lương", 6), ("Mai", 5), ("Cao", 6), ("Lưu", 5), ("Tạ", 4), ("Kiều", 4), ("Khuất", 3),
    ("Chu", 4), ("Nghiêm", 3), ("Quách", 3), ("Triệu", 3), ("Hà", 6), ("Đoàn", 6), ("Tô", 3),
    ("Văn", 2), ("Lại", 3), ("Phùng", 4), ("Nông", 2),
]

MIDDLE_NAMES_MALE: list[tuple[str, int]] = [
    ("Văn", 40), ("Đức", 10), ("Minh", 10), ("Quang", 8), ("Hữu", 6), ("Công", 5), ("Xuân", 4),
    ("Mạnh", 3), ("Thành", 3), ("Tiến", 3), ("Đình", 6), ("Ngọc", 3), ("Anh", 2), ("Trung", 2),
    ("Tuấn", 2), ("Việt", 3), ("Hoàng", 2), ("Thế", 3), ("Trọng", 3),
]

MIDDLE_NAMES_FEMALE: list[tuple[str, int]] = [
    ("Thị", 50), ("Thu", 8), ("Ngọc", 6), ("Thanh", 6), ("Minh", 4), ("Phương", 3), ("Thúy", 3),
    ("Hồng", 3), ("Kim", 2), ("Bích", 2), ("Diệu", 2), ("Khánh", 2), ("Hải", 2), ("Mai", 2),
    ("Quỳnh", 2), ("Hoài", 2),
]

GIVEN_NAMES_MALE: list[str] = [
    "Anh", "Bình", "Cường", "Dũng", "Đạt", "Đức", "Hải", "Hiếu", "Hòa", "Hoàng", "Hùng", "Huy",
    "Khánh", "Khoa", "Kiên", "Lâm", "Long", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân",
    "Quang", "Sơn", "Tài", "Thắng", "Thành", "Tiến", "Toàn", "Trung", "Tuấn", "Tùng", "Việt",
    "Vinh", "Hiệp", "Hưng", "Lộc", "Thịnh", "Trường", "Tú", "Giang", "Hà", "Đông", "Chiến",
    "Công", "Duy", "Hậu", "Khải", "Lợi", "Mạnh", "Ngọc", "Phương", "Quý", "Thái", "Thuận",
    "Tâm", "Cảnh", "Dương", "Bảo",
]

GIVEN_NAMES_FEMALE: list[str] = [
    "Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hồng", "Huệ", "Hương",
    "Huyền", "Lan", "Liên", "Linh", "Loan", "Mai", "Nga", "Ngân", "Ngọc", "Nhung", "Oanh",
    "Phương", "Quyên", "Quỳnh", "Tâm", "Thảo", "Thơm", "Thủy", "Trang", "Tuyết", "Uyên", "Vân",
    "Yến", "Xuân", "Thanh", "Thư", "Ly", "Nhàn", "Hậu", "Lương", "Minh", "Phượng",
    "Sen", "Thoa", "Thắm", "Trinh", "Vui", "Diệp", "Duyên", "Gấm", "Hải", "Hoài", "Khuê",
    "Lụa", "My", "Nguyệt", "Tú",
]

# (ethnicity, weight ‰, province codes of birth registration used for its CCCD numbers)
ETHNICITIES: list[tuple[str, int, list[str]]] = [
    ("Kinh", 940, ["001", "001", "001", "001", "001", "001", "030", "033", "034", "035", "036",
                   "037", "038", "026", "027", "022", "040"]),
    ("Mường", 18, ["017", "001"]),
    ("Tày", 16, ["020", "004", "006", "019"]),
    ("Thái", 10, ["014", "011", "038"]),
    ("Nùng", 8, ["020", "004"]),
    ("Dao", 4, ["010", "008"]),
    ("Hoa", 4, ["001"]),
]

# Positions that the demo gives to men only (as they mostly are in these agencies).
MALE_POSITIONS = {"Lái xe", "Bảo vệ", "Quay phim"}

# Positions by kind of agency: (position, weight). "lead" positions are used once or twice.
POSITIONS: dict[str, list[tuple[str, int]]] = {
    "office": [
        ("Chuyên viên", 45), ("Chuyên viên chính", 14), ("Chuyên viên cao cấp", 2),
        ("Trưởng phòng", 5), ("Phó Trưởng phòng", 8), ("Kế toán", 4), ("Văn thư", 3),
        ("Nhân viên", 8), ("Cán sự", 4), ("Lái xe", 3), ("Bảo vệ", 2), ("Thanh tra viên", 2),
    ],
    "school": [
        ("Giảng viên", 45), ("Giảng viên chính", 12), ("Giáo viên", 10), ("Trưởng khoa", 2),
        ("Phó Trưởng khoa", 3), ("Chuyên viên", 12), ("Kế toán", 3), ("Văn thư", 2),
        ("Thư viện viên", 2), ("Nhân viên", 6), ("Bảo vệ", 2),
    ],
    "health": [
        ("Bác sĩ", 25), ("Điều dưỡng", 30), ("Kỹ thuật viên", 10), ("Dược sĩ", 6),
        ("Hộ sinh", 4), ("Trưởng khoa", 2), ("Phó Trưởng khoa", 3), ("Chuyên viên", 8),
        ("Kế toán", 3), ("Nhân viên", 6), ("Hộ lý", 4),
    ],
    "culture": [
        ("Diễn viên", 30), ("Nhạc công", 10), ("Đạo diễn", 2), ("Biên đạo", 2),
        ("Chuyên viên", 20), ("Kỹ thuật viên", 10), ("Kế toán", 3), ("Nhân viên", 12),
        ("Phó Trưởng phòng", 4), ("Trưởng phòng", 2), ("Văn thư", 2),
    ],
    "press": [
        ("Phóng viên", 35), ("Biên tập viên", 25), ("Kỹ thuật viên", 10), ("Quay phim", 5),
        ("Chuyên viên", 10), ("Trưởng ban", 2), ("Phó Trưởng ban", 4), ("Kế toán", 3),
        ("Nhân viên", 8), ("Lái xe", 2),
    ],
    "teacher": [
        ("Giáo viên", 70), ("Tổ trưởng chuyên môn", 5), ("Tổ phó chuyên môn", 4),
        ("Phó Hiệu trưởng", 2), ("Kế toán", 2), ("Văn thư", 2), ("Nhân viên thư viện", 2),
        ("Nhân viên y tế học đường", 1), ("Bảo vệ", 2),
    ],
    "heritage": [
        ("Viên chức", 25), ("Chuyên viên", 25), ("Hướng dẫn viên", 10), ("Kỹ thuật viên", 8),
        ("Thư viện viên", 6), ("Lưu trữ viên", 6), ("Phó Trưởng phòng", 4), ("Trưởng phòng", 2),
        ("Kế toán", 3), ("Nhân viên", 10), ("Bảo vệ", 4),
    ],
}

# The 65 grassroots unions directly under Công đoàn Viên chức thành phố Hà Nội in 2017.
# (name, kind of agency: chooses positions and the names of tổ công đoàn)
CDVC_HN_CDCS: list[tuple[str, str]] = [
    ("Công đoàn Sở Tư pháp", "office"),
    ("Công đoàn Sở Y tế", "office"),
    ("Công đoàn cơ quan Đảng ủy Khối các Cơ quan Thành phố", "office"),
    ("Công đoàn Sở Nội vụ", "office"),
    ("Công đoàn Sở Tài chính", "office"),
    ("Công đoàn Sở Kế hoạch và Đầu tư", "office"),
    ("Công đoàn Sở Công Thương", "office"),
    ("Công đoàn Sở Xây dựng", "office"),
    ("Công đoàn Sở Giao thông vận tải", "office"),
    ("Công đoàn Sở Tài nguyên và Môi trường", "office"),
    ("Công đoàn Sở Nông nghiệp và Phát triển nông thôn", "office"),
    ("Công đoàn Sở Lao động – Thương binh và Xã hội", "office"),
    ("Công đoàn Sở Văn hóa và Thể thao", "office"),
    ("Công đoàn Sở Du lịch", "office"),
    ("Công đoàn Sở Thông tin và Truyền thông", "office"),
    ("Công đoàn Sở Khoa học và Công nghệ", "office"),
    ("Công đoàn cơ quan Sở Giáo dục và Đào tạo", "office"),
    ("Công đoàn Sở Ngoại vụ", "office"),
    ("Công đoàn Sở Quy hoạch – Kiến trúc", "office"),
    ("Công đoàn Thanh tra Thành phố", "office"),
    ("Công đoàn Văn phòng UBND Thành phố", "office"),
    ("Công đoàn Văn phòng Đoàn ĐBQH và HĐND Thành phố", "office"),
    ("Công đoàn Văn phòng Thành ủy", "office"),
    ("Công đoàn cơ quan Ban Tổ chức Thành ủy", "office"),
    ("Công đoàn cơ quan Ban Tuyên giáo Thành ủy", "office"),
    ("Công đoàn cơ quan Ủy ban Kiểm tra Thành ủy", "office"),
    ("Công đoàn cơ quan Ban Dân vận Thành ủy", "office"),
    ("Công đoàn cơ quan Ban Nội chính Thành ủy", "office"),
    ("Công đoàn cơ quan Ủy ban Mặt trận Tổ quốc Việt Nam Thành phố", "office"),
    ("Công đoàn cơ quan Thành đoàn Hà Nội", "office"),
    ("Công đoàn cơ quan Hội Liên hiệp Phụ nữ Thành phố", "office"),
    ("Công đoàn cơ quan Hội Nông dân Thành phố", "office"),
    ("Công đoàn cơ quan Hội Cựu chiến binh Thành phố", "office"),
    ("Công đoàn cơ quan Liên minh Hợp tác xã Thành phố", "office"),
    ("Công đoàn Liên hiệp các Hội Khoa học và Kỹ thuật Thành phố", "office"),
    ("Công đoàn Hội Văn học Nghệ thuật Hà Nội", "culture"),
    ("Công đoàn Hội Chữ thập đỏ Thành phố", "office"),
    ("Công đoàn Bảo hiểm xã hội Thành phố", "office"),
    ("Công đoàn Ban Quản lý các Khu công nghiệp và Chế xuất Hà Nội", "office"),
    ("Công đoàn Ban Quản lý dự án đầu tư xây dựng công trình dân dụng và công nghiệp Thành phố",
     "office"),
    ("Công đoàn Ban Quản lý dự án đầu tư xây dựng công trình giao thông Thành phố", "office"),
    ("Công đoàn Ban Quản lý dự án đầu tư xây dựng công trình cấp nước, thoát nước và môi trường "
     "Thành phố", "office"),
    ("Công đoàn Quỹ Đầu tư phát triển Thành phố", "office"),
    ("Công đoàn Trung tâm Xúc tiến Đầu tư, Thương mại, Du lịch Thành phố", "office"),
    ("Công đoàn Viện Nghiên cứu phát triển kinh tế – xã hội Hà Nội", "office"),
    ("Công đoàn Trung tâm Tin học – Công báo Thành phố", "office"),
    ("Công đoàn Ban Tiếp công dân Thành phố", "office"),
    ("Công đoàn Trung tâm Lưu trữ lịch sử Thành phố", "heritage"),
    ("Công đoàn Trường Đào tạo cán bộ Lê Hồng Phong", "school"),
    ("Công đoàn Trường Đại học Thủ đô Hà Nội", "school"),
    ("Công đoàn Trường Cao đẳng Y tế Hà Nội", "school"),
    ("Công đoàn Trường Cao đẳng Nghệ thuật Hà Nội", "school"),
    ("Công đoàn Trường Cao đẳng Thương mại và Du lịch Hà Nội", "school"),
    ("Công đoàn Trung tâm Kiểm soát bệnh tật Thành phố", "health"),
    ("Công đoàn Trung tâm Cấp cứu 115 Hà Nội", "health"),
    ("Công đoàn Báo Hà Nội mới", "press"),
    ("Công đoàn Báo Kinh tế và Đô thị", "press"),
    ("Công đoàn Đài Phát thanh và Truyền hình Hà Nội", "press"),
    ("Công đoàn Nhà hát Kịch Hà Nội", "culture"),
    ("Công đoàn Nhà hát Chèo Hà Nội", "culture"),
    ("Công đoàn Nhà hát Cải lương Hà Nội", "culture"),
    ("Công đoàn Nhà hát Múa rối Thăng Long", "culture"),
    ("Công đoàn Thư viện Hà Nội", "heritage"),
    ("Công đoàn Bảo tàng Hà Nội", "heritage"),
    ("Công đoàn Trung tâm Bảo tồn Di sản Thăng Long – Hà Nội", "heritage"),
]

# Tổ công đoàn of the larger grassroots unions, by kind of agency.
GROUP_NAMES: dict[str, list[str]] = {
    "office": [
        "Tổ Công đoàn Văn phòng", "Tổ Công đoàn Phòng Tổ chức cán bộ",
        "Tổ Công đoàn Phòng Kế hoạch – Tài chính", "Tổ Công đoàn Thanh tra",
        "Tổ Công đoàn Phòng Pháp chế", "Tổ Công đoàn Phòng Quản lý chuyên ngành",
    ],
    "school": [
        "Tổ Công đoàn Khoa Cơ bản", "Tổ Công đoàn Khoa Kinh tế", "Tổ Công đoàn Khoa Ngoại ngữ",
        "Tổ Công đoàn Phòng Đào tạo", "Tổ Công đoàn Phòng Hành chính – Quản trị",
        "Tổ Công đoàn Thư viện",
    ],
    "health": [
        "Tổ Công đoàn Khoa Phòng chống bệnh truyền nhiễm", "Tổ Công đoàn Khoa Xét nghiệm",
        "Tổ Công đoàn Phòng Kế hoạch – Nghiệp vụ", "Tổ Công đoàn Phòng Tổ chức – Hành chính",
        "Tổ Công đoàn Khoa Dinh dưỡng",
    ],
    "culture": [
        "Tổ Công đoàn Đoàn Nghệ thuật số 1", "Tổ Công đoàn Đoàn Nghệ thuật số 2",
        "Tổ Công đoàn Phòng Hành chính – Tổng hợp", "Tổ Công đoàn Phòng Kỹ thuật – Sân khấu",
    ],
    "press": [
        "Tổ Công đoàn Ban Thời sự", "Tổ Công đoàn Ban Văn hóa – Xã hội",
        "Tổ Công đoàn Ban Kinh tế", "Tổ Công đoàn Phòng Kỹ thuật",
        "Tổ Công đoàn Ban Thư ký Tòa soạn", "Tổ Công đoàn Phòng Hành chính – Trị sự",
    ],
    "heritage": [
        "Tổ Công đoàn Phòng Nghiệp vụ", "Tổ Công đoàn Phòng Hành chính – Tổng hợp",
        "Tổ Công đoàn Phòng Trưng bày – Giáo dục",
    ],
}

# The 19 tổ công đoàn of Công đoàn cơ quan UBND quận Hai Bà Trưng (2023), with the kind of
# positions and a rough relative size.
HBT_GROUPS: list[tuple[str, int]] = [
    ("Tổ Công đoàn Văn phòng HĐND-UBND", 48),
    ("Tổ Công đoàn Phòng Tài chính – Kế hoạch", 22),
    ("Tổ Công đoàn Phòng Tư pháp", 10),
    ("Tổ Công đoàn Bộ phận Một cửa", 16),
    ("Tổ Công đoàn Phòng Nội vụ", 14),
    ("Tổ Công đoàn Phòng Lao động – Thương binh và Xã hội", 18),
    ("Tổ Công đoàn Phòng Giáo dục và Đào tạo", 20),
    ("Tổ Công đoàn Phòng Y tế", 9),
    ("Tổ Công đoàn Phòng Văn hóa và Thông tin", 13),
    ("Tổ Công đoàn Phòng Tài nguyên và Môi trường", 17),
    ("Tổ Công đoàn Phòng Quản lý đô thị", 21),
    ("Tổ Công đoàn Phòng Kinh tế", 15),
    ("Tổ Công đoàn Thanh tra quận", 14),
    ("Tổ Công đoàn Trung tâm Văn hóa – Thông tin và Thể thao", 30),
    ("Tổ Công đoàn Ban Quản lý dự án đầu tư xây dựng", 28),
    ("Tổ Công đoàn Đội Quản lý trật tự xây dựng đô thị", 32),
    ("Tổ Công đoàn Ban Bồi thường, giải phóng mặt bằng", 24),
    ("Tổ Công đoàn Trung tâm Phát triển quỹ đất", 18),
    ("Tổ Công đoàn Ban Quản lý chợ", 31),
]
