"""Four initiatives of different fields, the small archive the similarity tests search."""

from thidua.initiatives.similarity import Doc

TOC_KY = Doc(1, 10, 2022, "Ngày thứ tư tốc ký tại bộ phận một cửa",
             "Mỗi thứ tư hằng tuần, bộ phận tiếp nhận và trả kết quả ưu tiên giải quyết ngay trong ngày "
             "các hồ sơ chứng thực, hộ tịch đơn giản; cán bộ ghi tốc ký yêu cầu của công dân.")
DIEN = Doc(2, 10, 2022, "Tiết kiệm điện trong trụ sở cơ quan",
           "Tắt điều hòa sau 17 giờ, đặt nhiệt độ không thấp hơn 26 độ, thay đèn huỳnh quang bằng đèn LED.")
DOAN_PHI = Doc(3, 11, 2023, "Thu đoàn phí qua ứng dụng ngân hàng bằng mã QR",
               "Đoàn viên quét mã QR của tổ công đoàn bằng ứng dụng ngân hàng để nộp đoàn phí hằng tháng.")
BENH_VIEN = Doc(4, 12, 2023, "Lấy số thứ tự khám bệnh qua Zalo",
                "Người bệnh nhận số thứ tự qua Zalo của bệnh viện, không phải xếp hàng từ sáng sớm.")
DOCS = [TOC_KY, DIEN, DOAN_PHI, BENH_VIEN]
