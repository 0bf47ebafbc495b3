"""Template-made Vietnamese initiatives: the distractors of the labelled evaluation and the
100.000 initiatives of the benchmark. Deterministic for a given seed.

The texts read like the summaries of real applications (a problem, what was done, where, the
measured benefit) in many fields, so that a query meets many documents of its own field, as it
does in a real archive. `near_duplicate` rewrites a text the way people re-submit an old idea:
without diacritics, with typos, with synonyms, a sentence dropped or moved, other figures.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

__all__ = ["Field", "FIELDS", "generate", "near_duplicate", "strip_diacritics"]


@dataclass(frozen=True)
class Field:
    name: str
    objects: tuple[str, ...]
    tools: tuple[str, ...]
    places: tuple[str, ...]
    problems: tuple[str, ...]
    benefits: tuple[str, ...]
    people: tuple[str, ...]


FIELDS: tuple[Field, ...] = (
    Field(
        "cải cách hành chính",
        ("quy trình tiếp nhận hồ sơ", "việc trả kết quả thủ tục hành chính", "thủ tục chứng thực bản sao",
         "đăng ký hộ tịch", "cấp giấy chứng nhận quyền sử dụng đất", "thủ tục cấp phép kinh doanh",
         "công tác lưu trữ hồ sơ", "việc hẹn trả kết quả", "tiếp nhận phản ánh kiến nghị",
         "thu phí, lệ phí", "đăng ký cư trú", "cấp phiếu lý lịch tư pháp"),
        ("phần mềm một cửa điện tử", "mã QR trên giấy biên nhận", "tin nhắn SMS", "cổng dịch vụ công",
         "chữ ký số", "Zalo OA", "ki-ốt tra cứu", "máy tính bảng đánh giá", "hộp thư điện tử",
         "lịch hẹn trực tuyến", "bảng điện tử xếp hàng"),
        ("bộ phận một cửa", "UBND phường", "văn phòng đăng ký đất đai", "trung tâm phục vụ hành chính công",
         "phòng tư pháp quận", "bộ phận tiếp dân", "chi cục thuế"),
        ("người dân phải đi lại nhiều lần", "hồ sơ bị trả lại do thiếu giấy tờ", "thời gian chờ tại quầy kéo dài",
         "cán bộ mất nhiều thời gian tra cứu sổ sách", "hồ sơ trễ hạn còn nhiều", "người dân khó theo dõi tiến độ"),
        ("giảm thời gian chờ của người dân", "không còn hồ sơ trễ hạn", "tỷ lệ hài lòng đạt {p}%",
         "rút ngắn thời gian giải quyết còn {d} ngày", "giảm {p}% số lần người dân phải đi lại"),
        ("cán bộ một cửa", "công chức tư pháp", "cán bộ địa chính", "người dân"),
    ),
    Field(
        "giáo dục",
        ("dạy học môn Toán", "dạy đọc cho học sinh lớp 1", "ôn tập cuối kỳ", "giờ sinh hoạt lớp",
         "dạy môn Tiếng Anh", "dạy học môn Ngữ văn", "giáo dục kỹ năng sống", "quản lý học sinh bán trú",
         "bồi dưỡng học sinh giỏi", "phụ đạo học sinh yếu", "dạy học STEM", "thư viện trường học"),
        ("bài giảng điện tử", "phiếu học tập", "trò chơi trắc nghiệm", "video ngắn", "sơ đồ tư duy",
         "phần mềm GeoGebra", "nhóm Zalo lớp", "thí nghiệm tự làm", "thẻ chữ", "góc học tập"),
        ("trường tiểu học", "trường THCS", "trường THPT", "trường mầm non", "trung tâm giáo dục thường xuyên"),
        ("học sinh thụ động trong giờ học", "kết quả học tập chưa đồng đều", "học sinh ngại phát biểu",
         "phụ huynh ít nắm được tình hình học tập", "thời lượng trên lớp không đủ luyện tập"),
        ("tỷ lệ học sinh khá giỏi tăng {p}%", "học sinh hứng thú hơn", "điểm trung bình môn tăng {x} điểm",
         "{n} học sinh đạt giải cấp quận"),
        ("giáo viên", "tổ chuyên môn", "học sinh", "phụ huynh"),
    ),
    Field(
        "y tế",
        ("khám bệnh ngoại trú", "cấp phát thuốc", "chăm sóc người bệnh sau mổ", "tiếp đón người bệnh",
         "quản lý hồ sơ bệnh án", "kiểm soát nhiễm khuẩn", "tiêm chủng mở rộng", "cấp cứu ban đầu",
         "theo dõi bệnh nhân tăng huyết áp", "xét nghiệm máu", "phục hồi chức năng"),
        ("phần mềm quản lý bệnh viện", "bảng kiểm", "số thứ tự điện tử", "tin nhắn nhắc lịch", "ki-ốt tự phục vụ",
         "bệnh án điện tử", "mã vạch trên ống nghiệm", "video hướng dẫn", "tổng đài đặt lịch"),
        ("bệnh viện quận", "trung tâm y tế huyện", "trạm y tế phường", "khoa Nội", "khoa Ngoại", "khoa Nhi",
         "khoa Khám bệnh"),
        ("người bệnh phải xếp hàng lâu", "sai sót trong cấp phát thuốc", "tỷ lệ nhiễm khuẩn còn cao",
         "nhân viên y tế quá tải", "người bệnh bỏ lỡ lịch tái khám"),
        ("thời gian chờ khám giảm còn {m} phút", "không để xảy ra sai sót chuyên môn", "tỷ lệ tái khám đúng hẹn đạt {p}%",
         "giảm {p}% thời gian làm thủ tục"),
        ("điều dưỡng", "bác sĩ", "kỹ thuật viên", "người bệnh"),
    ),
    Field(
        "sản xuất",
        ("công đoạn hàn", "chuyền may", "công đoạn đóng gói", "bảo dưỡng máy", "kiểm tra chất lượng sản phẩm",
         "vận chuyển bán thành phẩm", "lắp ráp bo mạch", "gia công cơ khí", "sơn tĩnh điện", "cắt vải",
         "dập khuôn", "quản lý kho vật tư"),
        ("đồ gá", "băng tải", "cảm biến", "mã vạch", "khuôn mới", "bảng Kanban", "máy quét cầm tay",
         "xe đẩy chuyên dụng", "phần mềm quản lý sản xuất", "camera kiểm tra"),
        ("phân xưởng cơ khí", "xí nghiệp may", "nhà máy điện tử", "xưởng đóng gói", "phân xưởng sơn", "kho trung tâm"),
        ("năng suất thấp", "tỷ lệ sản phẩm lỗi cao", "công nhân phải thao tác thủ công nhiều",
         "máy hỏng đột xuất giữa ca", "tồn kho sai lệch"),
        ("năng suất tăng {p}%", "tỷ lệ lỗi giảm còn {x}%", "làm lợi {v} triệu đồng mỗi năm",
         "thời gian thao tác giảm {s} giây", "giảm {n} lao động phục vụ"),
        ("công nhân", "tổ trưởng", "kỹ sư", "thợ bảo trì"),
    ),
    Field(
        "công đoàn",
        ("thu đoàn phí", "phát triển đoàn viên", "chăm lo đời sống đoàn viên", "tổ chức đại hội công đoàn",
         "thăm hỏi đoàn viên ốm đau", "xét hỗ trợ Mái ấm Công đoàn", "đối thoại tại nơi làm việc",
         "thương lượng thỏa ước lao động tập thể", "tuyên truyền pháp luật lao động",
         "quản lý hồ sơ đoàn viên", "bình xét thi đua", "tổ chức Tháng Công nhân"),
        ("ứng dụng trên điện thoại", "mã QR", "nhóm Zalo", "phần mềm quản lý đoàn viên", "biểu mẫu trực tuyến",
         "hộp thư góp ý", "bảng tin", "thẻ đoàn viên điện tử", "video ngắn"),
        ("công đoàn cơ sở", "liên đoàn lao động quận", "công đoàn ngành", "công đoàn khu công nghiệp",
         "công đoàn cơ quan"),
        ("đoàn viên ít tham gia sinh hoạt", "thu đoàn phí chậm", "thông tin đến đoàn viên chưa kịp thời",
         "hồ sơ đoàn viên thất lạc", "kiến nghị của người lao động chưa được giải quyết"),
        ("tỷ lệ đoàn viên tham gia đạt {p}%", "phát triển thêm {n} đoàn viên", "thu đủ đoàn phí đúng hạn",
         "giải quyết {n} kiến nghị của người lao động"),
        ("đoàn viên", "cán bộ công đoàn", "người lao động", "ban nữ công"),
    ),
    Field(
        "tài chính kế toán",
        ("đối chiếu công nợ", "lập báo cáo tài chính", "quyết toán thuế", "thanh toán lương",
         "quản lý tài sản cố định", "kiểm soát chi", "lập dự toán", "thu phí dịch vụ"),
        ("macro Excel", "phần mềm kế toán", "hóa đơn điện tử", "ngân hàng điện tử", "thẻ RFID",
         "chữ ký số", "báo cáo tự động"),
        ("phòng kế toán", "ban tài chính", "kho bạc", "đơn vị sự nghiệp"),
        ("số liệu phải nhập nhiều lần", "đối chiếu mất nhiều ngày", "sai sót khi cộng dồn thủ công",
         "chứng từ giấy lưu trữ cồng kềnh"),
        ("giảm {d} ngày công mỗi tháng", "không còn sai lệch số liệu", "tiết kiệm {v} triệu đồng mỗi năm"),
        ("kế toán viên", "thủ quỹ", "kiểm soát viên"),
    ),
    Field(
        "môi trường và năng lượng",
        ("sử dụng điện trong văn phòng", "xử lý nước thải", "phân loại rác", "tiết kiệm nước",
         "chiếu sáng nhà xưởng", "vận hành điều hòa", "thu gom phế liệu", "sử dụng giấy"),
        ("đèn LED", "cảm biến chuyển động", "pin năng lượng mặt trời", "bể lắng lọc", "thùng rác phân loại",
         "bộ hẹn giờ", "biến tần", "đồng hồ đo điện thông minh"),
        ("trụ sở cơ quan", "nhà xưởng", "khu tập thể", "trường học", "bệnh viện"),
        ("chi phí điện nước tăng cao", "rác thải chưa được phân loại", "lãng phí giấy in",
         "nước thải chưa đạt chuẩn"),
        ("điện năng tiêu thụ giảm {p}%", "tiết kiệm {v} triệu đồng mỗi năm", "giảm {p}% lượng rác thải",
         "tiết kiệm {n} mét khối nước mỗi tháng"),
        ("cán bộ", "công nhân", "bảo vệ", "nhân viên hành chính"),
    ),
    Field(
        "an toàn lao động",
        ("làm việc trên cao", "vận hành thiết bị điện", "phòng cháy chữa cháy", "sử dụng hóa chất",
         "vận hành xe nâng", "làm việc trong không gian hạn chế", "sơ cứu tai nạn lao động",
         "kiểm tra thiết bị nâng"),
        ("bảng kiểm", "biển cảnh báo", "video huấn luyện", "kính thực tế ảo", "khóa liên động", "thẻ treo",
         "tủ sơ cứu", "camera giám sát"),
        ("công trường", "trạm biến áp", "phân xưởng", "kho hóa chất", "khu nhà trọ công nhân"),
        ("còn xảy ra tai nạn lao động", "công nhân chủ quan khi làm việc", "thiết bị không được kiểm tra định kỳ",
         "người lao động chưa biết sơ cứu"),
        ("không để xảy ra tai nạn lao động trong {n} năm", "{p}% công nhân được huấn luyện",
         "giảm {p}% sự cố thiết bị"),
        ("an toàn vệ sinh viên", "công nhân", "tổ trưởng", "kỹ sư an toàn"),
    ),
)

_ACTIONS = ("Ứng dụng", "Áp dụng", "Sử dụng", "Triển khai", "Đưa", "Dùng")
_TITLE_TEMPLATES = (
    "{action} {tool} trong {object} tại {place}",
    "{action} {tool} để cải tiến {object}",
    "Giải pháp nâng cao hiệu quả {object} bằng {tool}",
    "Cải tiến {object} tại {place} {where}",
    "Đổi mới {object} bằng {tool} ở {place} {where}",
    "Nâng cao chất lượng {object} tại {place}",
    "Một số biện pháp {object} hiệu quả tại {place} {where}",
    "Xây dựng mô hình {object} gắn với {tool}",
)
_SENTENCES_PROBLEM = (
    "Trước đây tại {place} {where}, {problem}.",
    "Thực tế cho thấy {problem}, nhất là vào {season}.",
    "Qua khảo sát năm {year}, {problem}.",
)
_SENTENCES_ACTION = (
    "{people_cap} đã {action_lc} {tool} vào {object}, phân công cụ thể từng khâu.",
    "Nhóm tác giả đề xuất {action_lc} {tool} cho {object} và hướng dẫn {people} thực hiện.",
    "Giải pháp bố trí lại {object}, kết hợp {tool} và kiểm tra hằng tuần.",
    "{people_cap} được tập huấn sử dụng {tool} trước khi áp dụng cho {object}.",
)
_SENTENCES_RESULT = (
    "Sau {months} tháng áp dụng, {benefit}.",
    "Kết quả: {benefit}, được {unit_type} khác học tập.",
    "Giải pháp đã được nhân rộng ra {n} đơn vị, {benefit}.",
)
_WHERE = ("quận Hai Bà Trưng", "quận Hoàn Kiếm", "quận Đống Đa", "quận Ba Đình", "huyện Gia Lâm",
          "quận Long Biên", "quận Cầu Giấy", "huyện Đông Anh", "quận Hoàng Mai", "quận Tây Hồ",
          "phường Bạch Mai", "phường Minh Khai", "phường Lê Đại Hành", "phường Quỳnh Mai",
          "phường Trương Định", "phường Thanh Lương", "xã Bát Tràng", "thị trấn Trâu Quỳ")
_SEASONS = ("đầu năm", "cuối năm", "mùa hè", "dịp Tết", "cao điểm cuối quý", "đầu năm học")
_UNIT_TYPES = ("nhiều đơn vị", "các đơn vị bạn", "các phòng ban", "các trường", "các tổ công đoàn")


def _fill(template: str, rng: random.Random, field: Field, slots: dict[str, str]) -> str:
    values = dict(slots)
    values.update(
        p=str(rng.randint(5, 95)), d=str(rng.randint(1, 15)), x=str(rng.randint(1, 9)),
        n=str(rng.randint(2, 60)), m=str(rng.randint(10, 45)), s=str(rng.randint(5, 90)),
        v=str(rng.randint(5, 900)), months=str(rng.randint(3, 24)), year=str(rng.randint(2015, 2024)),
        season=rng.choice(_SEASONS), unit_type=rng.choice(_UNIT_TYPES),
    )
    text = template.format(**values)
    # benefits carry their own {p}, {n}… placeholders
    return text.format(**values) if "{" in text else text


def _one(rng: random.Random) -> tuple[str, str]:
    field = rng.choice(FIELDS)
    action = rng.choice(_ACTIONS)
    people = rng.choice(field.people)
    slots = {
        "action": action, "action_lc": action.lower(), "tool": rng.choice(field.tools),
        "object": rng.choice(field.objects), "place": rng.choice(field.places),
        "where": rng.choice(_WHERE), "problem": rng.choice(field.problems),
        "benefit": rng.choice(field.benefits), "people": people,
        "people_cap": people[0].upper() + people[1:],
    }
    title = _fill(rng.choice(_TITLE_TEMPLATES), rng, field, slots)
    sentences = [_fill(rng.choice(_SENTENCES_PROBLEM), rng, field, slots),
                 _fill(rng.choice(_SENTENCES_ACTION), rng, field, slots)]
    if rng.random() < 0.5:  # a second, different measure
        slots2 = dict(slots, tool=rng.choice(field.tools), object=rng.choice(field.objects))
        sentences.append(_fill(rng.choice(_SENTENCES_ACTION), rng, field, slots2))
    sentences.append(_fill(rng.choice(_SENTENCES_RESULT), rng, field, slots))
    return title, " ".join(sentences)


def generate(n: int, seed: int = 0) -> list[tuple[str, str]]:
    """`n` (title, text) pairs made from templates."""
    rng = random.Random(seed)
    return [_one(rng) for _ in range(n)]


def strip_diacritics(text: str) -> str:
    """Text as typed on a keyboard without Vietnamese input: "Đổi mới" -> "Doi moi" (case kept)."""
    text = text.translate(str.maketrans("Đđ", "Dd"))
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", bare)


_SYNONYMS = (
    ("Ứng dụng", "Áp dụng"), ("ứng dụng", "áp dụng"), ("người lao động", "công nhân"),
    ("giảm", "rút ngắn"), ("nâng cao", "cải thiện"), ("phần mềm", "ứng dụng"),
    ("Giải pháp", "Sáng kiến"), ("hiệu quả", "kết quả tốt"), ("tại", "ở"), ("Trước đây", "Trước kia"),
    ("đã", "đã chủ động"), ("hướng dẫn", "chỉ dẫn"), ("tập huấn", "huấn luyện"),
)


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    j = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    if kind == 1:
        return word[:j] + word[j + 1 :]
    return word[:j] + word[j] + word[j:]


def near_duplicate(title: str, text: str, rng: random.Random) -> tuple[str, str]:
    """The same idea submitted again: some of synonyms, other figures, a sentence dropped or
    moved, typos, no diacritics."""
    for old, new in _SYNONYMS:
        if old in text and rng.random() < 0.5:
            text = text.replace(old, new, 1)
        if old in title and rng.random() < 0.3:
            title = title.replace(old, new, 1)
    sentences = text.split(". ")
    if len(sentences) > 2 and rng.random() < 0.4:
        del sentences[rng.randrange(len(sentences))]
    if len(sentences) > 1 and rng.random() < 0.4:
        sentences.insert(0, sentences.pop())
    text = ". ".join(sentences)
    text = "".join(str(rng.randint(2, 99)) if c.isdigit() and rng.random() < 0.3 else c for c in text)
    if rng.random() < 0.5:
        words = text.split(" ")
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(words))
            words[i] = _typo(words[i], rng)
        text = " ".join(words)
    if rng.random() < 0.3:
        title, text = strip_diacritics(title), strip_diacritics(text)
    return title, text
