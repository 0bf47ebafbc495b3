"""The 89 initiatives of Công đoàn cơ quan UBND quận Hai Bà Trưng in 2022–2023 (the seed article
gives the count, the city-level figure and one title: the one-stop desk's «Ngày thứ tư tốc
ký»; the others are written for the demo in the manner of the district's administrative-reform
initiatives). Grouped by the tổ công đoàn (department) whose members wrote them, in the order
of thidua.demo.names.HBT_GROUPS: (title, kind, description, benefit for the author, VND or
None). Marked entries ("*") are the city-recognised ones."""

from __future__ import annotations

ONE_STOP_TITLE = "Mô hình «Ngày thứ tư tốc ký» tại bộ phận «một cửa» UBND quận Hai Bà Trưng"

Entry = tuple[str, str, str, str, int | None]

FIELDS: list[str] = [
    "Công tác văn phòng, tổng hợp, chuyển đổi số",
    "Quản lý tài chính, ngân sách, đầu tư công",
    "Tư pháp, hộ tịch, chứng thực",
    "Cải cách hành chính, tiếp nhận và trả kết quả",
    "Tổ chức bộ máy, cán bộ, thi đua khen thưởng",
    "Lao động, người có công và bảo trợ xã hội",
    "Quản lý giáo dục",
    "Y tế, an toàn thực phẩm",
    "Văn hóa, thông tin, cơ sở",
    "Tài nguyên, đất đai, môi trường",
    "Quản lý đô thị, giao thông, hạ tầng",
    "Kinh tế, thương mại, đăng ký kinh doanh",
    "Thanh tra, tiếp công dân, giải quyết khiếu nại",
    "Văn hóa, thể thao, tuyên truyền",
    "Quản lý dự án đầu tư xây dựng",
    "Quản lý trật tự xây dựng",
    "Bồi thường, hỗ trợ, tái định cư",
    "Phát triển quỹ đất",
    "Quản lý chợ, thương mại dịch vụ",
]

INITIATIVES: list[list[Entry]] = [
    [  # Văn phòng HĐND-UBND
        ("Số hóa quy trình trình ký văn bản của Thường trực UBND quận trên hệ thống quản lý văn bản "
         "và điều hành", "quan_ly",
         "Trước đây văn bản trình lãnh đạo quận được in và chuyển tay qua nhiều phòng, thường mất "
         "2–3 ngày mới có chữ ký. Sáng kiến xây dựng luồng trình ký điện tử có chữ ký số, phân "
         "quyền theo lĩnh vực và nhắc hạn tự động trên hệ thống quản lý văn bản.",
         "Thời gian trình ký bình quân giảm từ 2,5 ngày xuống dưới 1 ngày; tiết kiệm khoảng 180.000 "
         "trang giấy mỗi năm.", 95_000_000),
        ("Bộ mẫu báo cáo tổng hợp định kỳ dùng chung cho 19 phòng, ban, đơn vị thuộc quận", "tac_nghiep",
         "Các phòng gửi báo cáo tháng, quý theo nhiều mẫu khác nhau nên Văn phòng phải nhập lại số "
         "liệu. Sáng kiến thống nhất bộ mẫu báo cáo trên bảng tính dùng chung, có công thức tự tổng "
         "hợp và kiểm tra số liệu trùng, thiếu.",
         "Thời gian tổng hợp báo cáo tháng giảm từ 3 ngày xuống 1 ngày làm việc.", None),
        ("Lịch công tác tuần của lãnh đạo quận đồng bộ trên điện thoại của cán bộ", "ung_dung",
         "Lịch công tác tuần được gửi bằng văn bản giấy, thay đổi đột xuất không kịp báo. Sáng kiến "
         "đưa lịch lên ứng dụng lịch dùng chung, mỗi thay đổi được thông báo ngay tới người liên quan.",
         "Không còn trường hợp cán bộ đến họp sai giờ, sai địa điểm do lịch thay đổi.", None),
        ("Quy trình chuẩn bị tài liệu kỳ họp HĐND quận theo hình thức không giấy", "quan_ly",
         "Mỗi kỳ họp HĐND quận phải in, đóng quyển hàng nghìn trang tài liệu. Sáng kiến đưa toàn bộ "
         "tài liệu kỳ họp lên trang thông tin riêng cho đại biểu, có mục lục, tìm kiếm và ghi chú.",
         "Tiết kiệm khoảng 60 triệu đồng chi phí in ấn mỗi năm; tài liệu đến đại biểu sớm hơn 3 ngày.",
         60_000_000),
        ("Sổ theo dõi thực hiện ý kiến chỉ đạo của Chủ tịch UBND quận có cảnh báo quá hạn", "tac_nghiep",
         "Các ý kiến chỉ đạo được ghi trong thông báo kết luận, việc theo dõi thực hiện phụ thuộc vào "
         "trí nhớ của chuyên viên. Sáng kiến lập sổ theo dõi điện tử, mỗi nhiệm vụ có đầu mối, hạn "
         "và màu cảnh báo khi sắp quá hạn.",
         "Tỷ lệ nhiệm vụ hoàn thành đúng hạn tăng từ 78% lên 96%.", None),
        ("Ứng dụng chữ ký số trên thiết bị di động cho lãnh đạo quận khi đi công tác", "ung_dung",
         "Khi lãnh đạo đi công tác, văn bản khẩn phải chờ ký. Sáng kiến triển khai chữ ký số từ xa "
         "trên điện thoại, kèm quy trình xác thực hai lớp.",
         "Không còn văn bản khẩn bị chậm do lãnh đạo vắng mặt.", None),
        ("Phân loại và lưu trữ hồ sơ công việc điện tử theo danh mục hồ sơ của cơ quan", "tac_nghiep",
         "Hồ sơ công việc điện tử lưu tản mạn trên máy tính cá nhân, khó giao nộp vào lưu trữ. Sáng "
         "kiến xây dựng cây thư mục theo danh mục hồ sơ, đặt tên tệp thống nhất và giao nộp định kỳ.",
         "Thời gian tìm một hồ sơ cũ giảm từ hàng giờ xuống vài phút.", None),
        ("Tổng đài nhắn tin thông báo lịch tiếp công dân của lãnh đạo quận", "ung_dung",
         "Người dân phải đến trụ sở mới biết lịch tiếp công dân. Sáng kiến gửi tin nhắn thông báo "
         "lịch tiếp và nhắc lịch hẹn cho người đã đăng ký.",
         "Giảm 40% số lượt công dân đến sai ngày tiếp.", None),
        ("Bảng điều hành số liệu kinh tế – xã hội của quận cập nhật hằng tuần", "quan_ly",
         "Lãnh đạo quận cần số liệu nhanh nhưng phải đợi báo cáo tháng. Sáng kiến xây dựng bảng điều "
         "hành lấy số liệu từ các phòng chuyên môn, cập nhật mỗi thứ Hai.",
         "Các cuộc giao ban tuần dùng số liệu mới nhất, rút ngắn thời gian chuẩn bị 50%.", None),
        ("Quy trình phối hợp tổ chức hội nghị trực tuyến giữa quận và 10 phường", "tac_nghiep",
         "Hội nghị trực tuyến hay gặp sự cố kết nối ở điểm cầu phường. Sáng kiến ban hành quy trình "
         "kiểm tra kỹ thuật trước 24 giờ và danh sách đầu mối kỹ thuật từng điểm cầu.",
         "Sự cố kết nối trong hội nghị giảm từ 12 lần xuống 1 lần mỗi năm.", None),
    ],
    [  # Phòng Tài chính – Kế hoạch
        ("Công cụ đối chiếu số liệu dự toán và giải ngân vốn đầu tư công theo từng dự án*", "quan_ly",
         "Số liệu kế hoạch vốn và giải ngân nằm ở nhiều báo cáo khác nhau, khó phát hiện dự án chậm "
         "giải ngân. Sáng kiến xây dựng bảng đối chiếu tự động theo mã dự án, tô màu dự án có tỷ lệ "
         "giải ngân thấp hơn tiến độ.",
         "Tỷ lệ giải ngân vốn đầu tư công của quận năm 2022 đạt trên 95% kế hoạch.", 250_000_000),
        ("Quy trình thẩm định dự toán chi thường xuyên của các đơn vị dự toán theo định mức", "quan_ly",
         "Các đơn vị lập dự toán theo cách riêng, khó so sánh. Sáng kiến xây dựng biểu định mức và "
         "mẫu thuyết minh thống nhất cho các đơn vị dự toán thuộc quận.",
         "Thời gian thẩm định dự toán giảm 30%; tiết kiệm chi khoảng 1,2 tỷ đồng.", 1_200_000_000),
        ("Sổ tay hướng dẫn quyết toán vốn dự án hoàn thành cho chủ đầu tư cấp phường", "tac_nghiep",
         "Nhiều hồ sơ quyết toán của phường phải trả lại do thiếu giấy tờ. Sáng kiến biên soạn sổ tay "
         "hướng dẫn kèm danh mục kiểm tra hồ sơ.",
         "Số hồ sơ quyết toán phải trả lại giảm từ 45% xuống 10%.", None),
        ("Theo dõi tài sản công của các đơn vị trên cơ sở dữ liệu dùng chung", "ung_dung",
         "Việc kê khai tài sản công làm thủ công, số liệu không khớp giữa đơn vị và phòng. Sáng kiến "
         "đưa danh mục tài sản lên cơ sở dữ liệu dùng chung, các đơn vị tự cập nhật biến động.",
         "Số liệu tài sản công được cập nhật kịp thời phục vụ kiểm kê cuối năm.", None),
        ("Mẫu phiếu kiểm soát hồ sơ đăng ký hộ kinh doanh một lần, đầy đủ", "tac_nghiep",
         "Hồ sơ đăng ký hộ kinh doanh thường phải bổ sung nhiều lần. Sáng kiến xây dựng phiếu kiểm "
         "soát liệt kê đủ giấy tờ, hướng dẫn người dân chuẩn bị một lần.",
         "Tỷ lệ hồ sơ phải bổ sung giảm từ 30% xuống dưới 5%.", None),
        ("Dự báo nguồn thu ngân sách quận theo tháng bằng số liệu các năm trước", "ky_thuat",
         "Kế hoạch điều hành ngân sách thiếu số liệu dự báo theo tháng. Sáng kiến dùng số liệu thu "
         "của 5 năm gần nhất để dự báo nguồn thu, cảnh báo sớm các khoản thu đạt thấp.",
         "Chủ động điều hành chi, không để nợ đọng thanh toán cuối năm.", None),
    ],
    [  # Phòng Tư pháp
        ("Sổ chứng thực bản sao điện tử, tra cứu theo tên người yêu cầu", "tac_nghiep",
         "Sổ chứng thực ghi bằng tay, mỗi lần tra cứu phải lật từng trang. Sáng kiến lập sổ chứng thực "
         "điện tử tự đánh số, tra cứu theo tên, số giấy tờ và ngày chứng thực.",
         "Thời gian tra cứu một việc chứng thực giảm từ 15 phút xuống dưới 1 phút.", None),
        ("Bộ câu hỏi – đáp về hộ tịch đăng trên trang thông tin điện tử của quận", "tac_nghiep",
         "Người dân hỏi lặp lại nhiều câu về đăng ký khai sinh, kết hôn. Sáng kiến biên soạn bộ câu "
         "hỏi – đáp ngắn gọn, cập nhật theo quy định mới.",
         "Số cuộc gọi hỏi về thủ tục hộ tịch giảm khoảng 35%.", None),
        ("Quy trình rà soát văn bản quy phạm pháp luật của quận trên bảng theo dõi hiệu lực", "quan_ly",
         "Việc rà soát văn bản hết hiệu lực làm thủ công, dễ sót. Sáng kiến lập bảng theo dõi hiệu lực "
         "từng văn bản, tự nhắc khi văn bản căn cứ thay đổi.",
         "Không để sót văn bản cần sửa đổi, thay thế trong kỳ rà soát.", None),
        ("Hòa giải ở cơ sở qua nhóm trao đổi trực tuyến của tổ hòa giải phường", "quan_ly",
         "Hòa giải viên ở các tổ dân phố thiếu kênh trao đổi nghiệp vụ. Sáng kiến lập nhóm trao đổi "
         "trực tuyến có cán bộ tư pháp hướng dẫn, chia sẻ tình huống mẫu.",
         "Tỷ lệ hòa giải thành tăng từ 82% lên 90%.", None),
    ],
    [  # Bộ phận Một cửa
        (ONE_STOP_TITLE + "*", "quan_ly",
         "Hồ sơ tồn tại bộ phận «một cửa» thường dồn vào cuối tuần, người dân phải chờ lâu. Sáng kiến "
         "dành riêng ngày thứ Tư hằng tuần để toàn bộ công chức bộ phận «một cửa» và các phòng chuyên "
         "môn tập trung giải quyết dứt điểm hồ sơ đến hạn và hồ sơ tồn, trả kết quả ngay trong ngày "
         "(«tốc ký»), có lãnh đạo quận trực ký.\n"
         "Công chức ghi nhận hồ sơ cần «tốc ký» trên sổ theo dõi, thông báo trước cho người dân qua "
         "tin nhắn để đến nhận kết quả vào chiều thứ Tư.",
         "Tỷ lệ hồ sơ trả đúng và trước hạn đạt trên 99%; chỉ số hài lòng của người dân tăng rõ rệt.",
         None),
        ("Phiếu hẹn trả kết quả có mã QR tra cứu tiến độ hồ sơ*", "ung_dung",
         "Người dân phải gọi điện hoặc đến trụ sở để hỏi tiến độ hồ sơ. Sáng kiến in mã QR trên phiếu "
         "hẹn, quét mã là xem được hồ sơ đang ở bước nào.",
         "Số lượt hỏi tiến độ trực tiếp giảm khoảng 60%.", None),
        ("Hướng dẫn viên tình nguyện hỗ trợ người cao tuổi nộp hồ sơ trực tuyến", "quan_ly",
         "Người cao tuổi khó tự nộp hồ sơ trực tuyến. Sáng kiến bố trí đoàn viên thanh niên luân phiên "
         "hướng dẫn tại bộ phận «một cửa» vào giờ cao điểm.",
         "Tỷ lệ hồ sơ nộp trực tuyến tăng từ 35% lên 62%.", None),
        ("Sắp xếp quầy tiếp nhận theo nhóm thủ tục và bảng chỉ dẫn màu", "tac_nghiep",
         "Người dân thường xếp nhầm quầy. Sáng kiến chia quầy theo nhóm thủ tục, mỗi nhóm một màu, có "
         "bảng chỉ dẫn từ cửa vào.",
         "Thời gian chờ bình quân giảm từ 25 phút xuống 10 phút.", None),
        ("Khảo sát mức độ hài lòng của người dân bằng máy tính bảng tại quầy", "ung_dung",
         "Phiếu khảo sát giấy ít người điền. Sáng kiến đặt máy tính bảng để người dân đánh giá ngay sau "
         "khi nhận kết quả, số liệu tổng hợp hằng tuần.",
         "Số phiếu khảo sát thu được tăng gấp 8 lần, phản ánh kịp thời thái độ phục vụ.", None),
        ("Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính ngay khi tiếp nhận", "tac_nghiep",
         "Giấy tờ của người dân phải nộp lại nhiều lần cho các thủ tục khác nhau. Sáng kiến quét và "
         "lưu giấy tờ vào kho dữ liệu điện tử ngay khi tiếp nhận để dùng lại.",
         "Người dân không phải nộp lại giấy tờ đã có trong kho dữ liệu.", None),
        ("Trả kết quả thủ tục hành chính qua dịch vụ bưu chính tại nhà", "quan_ly",
         "Người bận đi làm khó đến nhận kết quả trong giờ hành chính. Sáng kiến phối hợp với bưu điện "
         "trả kết quả tận nhà theo yêu cầu.",
         "Hơn 2.000 lượt kết quả được trả tại nhà mỗi năm.", None),
    ],
    [  # Phòng Nội vụ
        ("Phần mềm theo dõi nâng bậc lương thường xuyên và trước hạn của công chức, viên chức", "ung_dung",
         "Việc theo dõi thời hạn nâng lương làm trên sổ, dễ chậm nâng lương. Sáng kiến dùng bảng "
         "theo dõi tự tính thời điểm nâng bậc và gửi danh sách trước 2 tháng.",
         "Không còn trường hợp chậm nâng lương.", None),
        ("Chấm điểm thi đua các phòng, ban trên bảng tiêu chí công khai theo quý", "quan_ly",
         "Bình xét thi đua cuối năm thiếu căn cứ định lượng. Sáng kiến xây dựng bộ tiêu chí chấm điểm "
         "theo quý, công khai kết quả để các đơn vị tự so sánh.",
         "Bình xét thi đua khách quan, giảm ý kiến thắc mắc sau bình xét.", None),
        ("Quy trình tuyển dụng viên chức giáo dục có lịch công khai từng bước", "quan_ly",
         "Thí sinh thường hỏi lại lịch và kết quả từng vòng. Sáng kiến công khai lịch, danh sách và "
         "kết quả từng vòng trên trang thông tin của quận.",
         "Kỳ tuyển dụng không có đơn khiếu nại về quy trình.", None),
        ("Số hóa hồ sơ cán bộ, công chức thuộc diện quận quản lý", "tac_nghiep",
         "Hồ sơ giấy bị ố, rách, khó tra cứu. Sáng kiến quét, đặt tên và lưu hồ sơ điện tử theo mã "
         "cán bộ, phân quyền truy cập.",
         "Tra cứu hồ sơ cán bộ trong vài phút thay vì nửa ngày.", None),
        ("Bộ câu hỏi kiểm tra kiến thức quy chế dân chủ ở cơ sở cho công chức mới", "tac_nghiep",
         "Công chức mới chưa nắm quy chế dân chủ ở cơ quan. Sáng kiến biên soạn bộ câu hỏi trắc "
         "nghiệm dùng trong tập sự.",
         "100% công chức mới hoàn thành bài kiểm tra trong thời gian tập sự.", None),
    ],
    [  # Phòng Lao động – Thương binh và Xã hội
        ("Cơ sở dữ liệu người có công và thân nhân, cập nhật biến động hằng tháng", "ung_dung",
         "Danh sách người có công lưu trên nhiều sổ, chi trả dễ sai. Sáng kiến gộp vào một cơ sở dữ "
         "liệu, cập nhật tăng, giảm hằng tháng cùng phường.",
         "Chi trả trợ cấp đúng người, đúng kỳ; không còn sai sót phải thu hồi.", None),
        ("Chi trả trợ cấp xã hội không dùng tiền mặt qua tài khoản ngân hàng*", "quan_ly",
         "Chi trả tiền mặt tốn công, người nhận phải đi lại. Sáng kiến vận động mở tài khoản và chi "
         "trả qua ngân hàng, hỗ trợ tại nhà cho người không tự đi được.",
         "Hơn 80% đối tượng nhận trợ cấp qua tài khoản, tiết kiệm khoảng 150 triệu đồng mỗi năm.",
         150_000_000),
        ("Sàn giao dịch việc làm lưu động tại các phường", "quan_ly",
         "Người lao động ít tiếp cận phiên giao dịch việc làm ở trung tâm. Sáng kiến tổ chức phiên "
         "lưu động hằng quý tại phường, kết nối doanh nghiệp trên địa bàn.",
         "Hơn 600 người được kết nối việc làm mỗi năm.", None),
        ("Bản đồ hộ nghèo, cận nghèo theo tổ dân phố phục vụ hỗ trợ kịp thời", "ung_dung",
         "Khó nắm tình hình hộ nghèo khi có thiên tai, dịch bệnh. Sáng kiến lập bản đồ hộ nghèo, cận "
         "nghèo đến tổ dân phố, kèm số điện thoại đầu mối.",
         "Hỗ trợ kịp thời các hộ khó khăn trong đợt rét đậm và dịch bệnh.", None),
        ("Quy trình xác nhận hồ sơ hưởng chế độ mai táng phí rút ngắn còn 2 ngày", "quan_ly",
         "Gia đình người mất phải chờ lâu để được hưởng chế độ. Sáng kiến liên thông hồ sơ giữa phường "
         "và phòng, xác nhận trong 2 ngày làm việc.",
         "Thời gian giải quyết giảm từ 7 ngày xuống 2 ngày.", None),
    ],
    [  # Phòng Giáo dục và Đào tạo
        ("Tuyển sinh đầu cấp trực tuyến có hướng dẫn từng bước bằng video", "ung_dung",
         "Phụ huynh lúng túng khi đăng ký tuyển sinh trực tuyến. Sáng kiến làm video hướng dẫn ngắn và "
         "đường dây hỗ trợ trong thời gian tuyển sinh.",
         "Tỷ lệ đăng ký trực tuyến thành công lần đầu đạt 97%.", None),
        ("Ngân hàng đề kiểm tra dùng chung cho các trường trung học cơ sở của quận", "tac_nghiep",
         "Mỗi trường tự ra đề, chất lượng không đồng đều. Sáng kiến xây dựng ngân hàng đề có ma trận "
         "kiến thức, giáo viên các trường cùng đóng góp và thẩm định.",
         "Đánh giá học sinh thống nhất giữa các trường; tiết kiệm thời gian ra đề.", None),
        ("Theo dõi cơ sở vật chất trường học trên bảng kiểm kê điện tử", "tac_nghiep",
         "Số liệu phòng học, thiết bị của các trường không cập nhật. Sáng kiến lập bảng kiểm kê điện tử "
         "dùng chung, nhà trường cập nhật theo học kỳ.",
         "Lập kế hoạch sửa chữa, mua sắm sát nhu cầu thực tế.", None),
        ("Mô hình thư viện thân thiện góc lớp ở trường tiểu học", "quan_ly",
         "Học sinh ít đến thư viện trường. Sáng kiến đưa sách về góc lớp, học sinh tự quản lý mượn, trả.",
         "Số lượt đọc sách của học sinh tăng gấp 3 lần.", None),
        ("Sổ liên lạc điện tử thống nhất cho các trường mầm non công lập", "ung_dung",
         "Nhà trường và phụ huynh trao đổi qua nhiều kênh khác nhau. Sáng kiến dùng một ứng dụng sổ "
         "liên lạc thống nhất cho các trường mầm non công lập.",
         "Thông tin đến phụ huynh kịp thời, giảm thời gian ghi sổ của giáo viên.", None),
    ],
    [  # Phòng Y tế
        ("Kiểm tra an toàn thực phẩm theo danh sách rủi ro của từng cơ sở", "quan_ly",
         "Kiểm tra dàn trải, chưa tập trung vào cơ sở có nguy cơ cao. Sáng kiến chấm điểm rủi ro từng "
         "cơ sở để lập kế hoạch kiểm tra.",
         "Phát hiện vi phạm tăng 40% với cùng số lượt kiểm tra.", None),
        ("Nhắc lịch tiêm chủng mở rộng qua tin nhắn cho phụ huynh", "ung_dung",
         "Nhiều trẻ bị lỡ lịch tiêm. Sáng kiến gửi tin nhắn nhắc lịch trước 3 ngày cho phụ huynh.",
         "Tỷ lệ trẻ tiêm đúng lịch tăng từ 88% lên 97%.", None),
        ("Bản đồ điểm bán thuốc và nhà thuốc trực đêm trên địa bàn quận", "tac_nghiep",
         "Người dân khó tìm nhà thuốc mở cửa ban đêm. Sáng kiến lập bản đồ trực tuyến các nhà thuốc trực "
         "đêm, cập nhật hằng tháng.",
         "Người dân tìm được nhà thuốc gần nhất trong vài phút.", None),
    ],
    [  # Phòng Văn hóa và Thông tin
        ("Trang tin điện tử của quận đăng tin theo lịch biên tập thống nhất", "quan_ly",
         "Tin bài trên trang thông tin thưa, không đều. Sáng kiến lập lịch biên tập, phân công cộng tác "
         "viên các phòng và phường.",
         "Số tin bài tăng gấp đôi, cập nhật hằng ngày.", None),
        ("Chấm điểm danh hiệu «Tổ dân phố văn hóa» bằng phiếu điện tử", "tac_nghiep",
         "Chấm điểm bằng phiếu giấy, tổng hợp chậm. Sáng kiến dùng phiếu điện tử, tự tổng hợp điểm theo "
         "tiêu chí.",
         "Thời gian tổng hợp kết quả bình xét giảm từ 2 tuần xuống 2 ngày.", None),
        ("Quản lý quảng cáo ngoài trời theo bản đồ vị trí được cấp phép", "quan_ly",
         "Khó phát hiện biển quảng cáo không phép. Sáng kiến lập bản đồ vị trí quảng cáo đã cấp phép để "
         "đối chiếu khi kiểm tra.",
         "Tháo dỡ hơn 300 biển quảng cáo sai phép trong năm.", None),
        ("Loa truyền thanh thông minh phát bản tin theo khung giờ từng khu dân cư", "ung_dung",
         "Loa phát thanh cũ phát cùng lúc toàn phường, gây ồn. Sáng kiến dùng loa thông minh điều khiển "
         "từ xa, phát theo khung giờ từng khu.",
         "Giảm phản ánh về tiếng ồn, thông tin đến đúng đối tượng.", None),
    ],
    [  # Phòng Tài nguyên và Môi trường
        ("Tra cứu thông tin thửa đất phục vụ giải quyết thủ tục đất đai trên bản đồ số", "ung_dung",
         "Cán bộ phải tra cứu nhiều bộ bản đồ giấy. Sáng kiến số hóa và chồng lớp bản đồ địa chính, "
         "quy hoạch để tra cứu nhanh.",
         "Thời gian xác minh thông tin thửa đất giảm từ 1 ngày xuống 1 giờ.", None),
        ("Phân loại rác thải tại nguồn ở khu tập thể cũ bằng thùng rác theo màu", "quan_ly",
         "Rác thải sinh hoạt ở khu tập thể chưa được phân loại. Sáng kiến đặt thùng rác theo màu và "
         "tuyên truyền qua tổ dân phố.",
         "Khối lượng rác tái chế thu hồi tăng khoảng 20%.", None),
        ("Quy trình cấp giấy chứng nhận quyền sử dụng đất lần đầu có phiếu kiểm soát liên thông*",
         "quan_ly",
         "Hồ sơ cấp giấy chứng nhận qua nhiều khâu, dễ ách tắc. Sáng kiến dùng phiếu kiểm soát liên "
         "thông ghi rõ thời hạn từng khâu, người chịu trách nhiệm.",
         "Tỷ lệ hồ sơ đúng hạn tăng từ 70% lên 95%.", None),
        ("Theo dõi điểm nóng ô nhiễm môi trường qua phản ánh của người dân", "tac_nghiep",
         "Phản ánh ô nhiễm đến từ nhiều kênh, khó theo dõi xử lý. Sáng kiến gom phản ánh vào một bảng "
         "theo dõi, có phân công và hạn xử lý.",
         "100% phản ánh được xử lý và trả lời đúng hạn.", None),
        ("Quan trắc tiếng ồn công trình xây dựng bằng thiết bị đo cầm tay", "ky_thuat",
         "Khó xác định mức ồn vượt chuẩn khi có phản ánh. Sáng kiến trang bị thiết bị đo cầm tay và quy "
         "trình đo, lập biên bản tại chỗ.",
         "Xử lý dứt điểm các phản ánh tiếng ồn có căn cứ đo đạc.", None),
    ],
    [  # Phòng Quản lý đô thị
        ("Bản đồ số hạ tầng kỹ thuật ngầm trên các tuyến phố chính", "ung_dung",
         "Thi công đào đường hay gặp sự cố cáp ngầm do thiếu bản đồ. Sáng kiến tổng hợp bản đồ số hạ "
         "tầng ngầm từ các đơn vị quản lý.",
         "Giảm sự cố đứt cáp khi thi công đào đường.", None),
        ("Cấp phép xây dựng nhà ở riêng lẻ theo quy trình rút gọn còn 12 ngày", "quan_ly",
         "Thời gian cấp phép xây dựng kéo dài. Sáng kiến rút gọn quy trình, phối hợp kiểm tra thực địa "
         "ngay khi tiếp nhận.",
         "Thời gian cấp phép giảm từ 15 ngày xuống 12 ngày.", None),
        ("Theo dõi tình trạng đèn chiếu sáng công cộng qua phản ánh trực tuyến", "tac_nghiep",
         "Đèn chiếu sáng hỏng lâu không được phát hiện. Sáng kiến cho người dân phản ánh trực tuyến, "
         "chuyển ngay đến đơn vị sửa chữa.",
         "Thời gian khắc phục đèn hỏng giảm từ 5 ngày xuống 1 ngày.", None),
        ("Kẻ vạch ô đỗ xe máy trên vỉa hè theo giờ ở các tuyến phố kinh doanh", "quan_ly",
         "Vỉa hè bị lấn chiếm để xe lộn xộn. Sáng kiến kẻ vạch ô đỗ và quy định khung giờ.",
         "Vỉa hè thông thoáng, dành lối đi cho người đi bộ.", None),
        ("Lập danh mục cây xanh đường phố có mã số và tình trạng", "tac_nghiep",
         "Khó quản lý cây xanh có nguy cơ gãy đổ. Sáng kiến đánh mã số từng cây, ghi tình trạng và lịch "
         "cắt tỉa.",
         "Chủ động cắt tỉa trước mùa mưa bão, không có sự cố cây đổ gây thiệt hại.", None),
        ("Kiểm tra chất lượng công trình hạ tầng phường bằng phiếu kiểm tra hiện trường", "tac_nghiep",
         "Nghiệm thu công trình nhỏ ở phường còn hình thức. Sáng kiến dùng phiếu kiểm tra hiện trường "
         "theo hạng mục, có ảnh chụp đính kèm.",
         "Phát hiện và khắc phục kịp thời sai sót trước khi nghiệm thu.", None),
    ],
    [  # Phòng Kinh tế
        ("Hỗ trợ hộ kinh doanh chuyển đổi số thanh toán không dùng tiền mặt", "quan_ly",
         "Nhiều hộ kinh doanh chỉ nhận tiền mặt. Sáng kiến phối hợp ngân hàng hướng dẫn tại chỗ, cấp mã "
         "QR thanh toán miễn phí.",
         "Hơn 1.500 hộ kinh doanh áp dụng thanh toán không dùng tiền mặt.", None),
        ("Cơ sở dữ liệu doanh nghiệp trên địa bàn phân theo ngành nghề và phường", "ung_dung",
         "Thông tin doanh nghiệp rời rạc, khó phục vụ quản lý. Sáng kiến lập cơ sở dữ liệu dùng chung "
         "với thuế và phường.",
         "Phục vụ kịp thời các đợt khảo sát, hỗ trợ doanh nghiệp.", None),
        ("Quy trình kiểm tra điều kiện kinh doanh rượu, thuốc lá một lần nhiều nội dung", "quan_ly",
         "Cơ sở kinh doanh bị kiểm tra nhiều lần. Sáng kiến gộp nội dung kiểm tra liên ngành trong một "
         "lần.",
         "Giảm 50% số lượt kiểm tra, doanh nghiệp đồng tình.", None),
        ("Kết nối tiêu thụ sản phẩm làng nghề qua hội chợ trực tuyến", "ung_dung",
         "Sản phẩm của hộ sản xuất nhỏ khó tìm đầu ra. Sáng kiến tổ chức hội chợ trực tuyến theo quý.",
         "Doanh thu của các hộ tham gia tăng khoảng 15%.", None),
    ],
    [  # Thanh tra quận
        ("Sổ theo dõi đơn thư khiếu nại, tố cáo có cảnh báo thời hạn giải quyết", "tac_nghiep",
         "Đơn thư nhiều, dễ quá hạn giải quyết. Sáng kiến lập sổ theo dõi điện tử với thời hạn từng "
         "bước và cảnh báo màu.",
         "Không còn đơn thư quá hạn giải quyết.", None),
        ("Quy trình tiếp công dân định kỳ có ghi âm, ghi hình và biên bản điện tử", "quan_ly",
         "Biên bản tiếp công dân ghi tay, thiếu chính xác. Sáng kiến ghi âm, ghi hình có thông báo và "
         "lập biên bản điện tử ngay tại buổi tiếp.",
         "Biên bản đầy đủ, giảm khiếu nại về nội dung buổi tiếp.", None),
        ("Bộ tình huống mẫu về phòng, chống tham nhũng cho cán bộ cơ sở", "tac_nghiep",
         "Tuyên truyền phòng, chống tham nhũng còn chung chung. Sáng kiến biên soạn bộ tình huống mẫu "
         "gắn với công việc ở phường.",
         "Cán bộ cơ sở nhận diện tốt hơn các hành vi vi phạm.", None),
        ("Theo dõi thực hiện kết luận thanh tra trên bảng tổng hợp của quận", "quan_ly",
         "Việc thực hiện kết luận thanh tra chậm, thiếu theo dõi. Sáng kiến lập bảng tổng hợp kiến nghị, "
         "đơn vị thực hiện và tiến độ.",
         "Tỷ lệ kiến nghị thực hiện xong tăng lên 92%.", None),
    ],
    [  # Trung tâm Văn hóa – Thông tin và Thể thao
        ("Bán vé và đăng ký lớp năng khiếu trực tuyến tại Trung tâm", "ung_dung",
         "Phụ huynh phải xếp hàng đăng ký lớp. Sáng kiến cho đăng ký và thanh toán trực tuyến.",
         "Không còn cảnh xếp hàng đầu mùa hè.", None),
        ("Lịch sử dụng sân thể thao công cộng công khai và đặt chỗ trực tuyến", "tac_nghiep",
         "Sân thể thao bị chiếm dụng, người dân khó đặt chỗ. Sáng kiến công khai lịch và đặt chỗ trực "
         "tuyến.",
         "Hiệu suất sử dụng sân tăng 30%, minh bạch nguồn thu.", None),
        ("Triển lãm ảnh lịch sử quận lưu động tại các trường học", "quan_ly",
         "Học sinh ít có dịp tìm hiểu lịch sử địa phương. Sáng kiến đưa triển lãm ảnh lưu động về trường.",
         "Hơn 10.000 lượt học sinh tham quan mỗi năm.", None),
        ("Tổ chức giải thể thao công nhân viên chức theo hình thức xã hội hóa", "quan_ly",
         "Kinh phí tổ chức giải hạn chế. Sáng kiến vận động doanh nghiệp tài trợ, công khai thu chi.",
         "Tiết kiệm khoảng 80 triệu đồng ngân sách mỗi giải.", 80_000_000),
    ],
    [  # Ban Quản lý dự án đầu tư xây dựng
        ("Bảng tiến độ dự án đầu tư xây dựng cập nhật hằng tuần có ảnh hiện trường*", "quan_ly",
         "Lãnh đạo khó nắm tiến độ thực tế các dự án. Sáng kiến lập bảng tiến độ hằng tuần kèm ảnh hiện "
         "trường, cảnh báo hạng mục chậm.",
         "Phát hiện sớm hạng mục chậm, rút ngắn tiến độ bình quân 1 tháng mỗi dự án.", 300_000_000),
        ("Mẫu hồ sơ mời thầu chuẩn cho công trình cải tạo trường học", "tac_nghiep",
         "Lập hồ sơ mời thầu mất nhiều thời gian, dễ sai sót. Sáng kiến xây dựng bộ mẫu chuẩn cho nhóm "
         "công trình cải tạo trường học.",
         "Thời gian lập hồ sơ mời thầu giảm 40%.", None),
        ("Giám sát thi công bằng camera tại các công trình trọng điểm", "ung_dung",
         "Giám sát hiện trường không thường xuyên. Sáng kiến lắp camera truyền hình ảnh về Ban.",
         "Kịp thời chấn chỉnh vi phạm an toàn lao động tại công trình.", None),
        ("Quy trình nghiệm thu hoàn thành công trình có danh mục kiểm tra thống nhất", "quan_ly",
         "Nghiệm thu mỗi công trình mỗi kiểu. Sáng kiến ban hành danh mục kiểm tra thống nhất.",
         "Hồ sơ nghiệm thu đầy đủ, không phải bổ sung khi quyết toán.", None),
        ("Lưu trữ hồ sơ dự án điện tử theo mã dự án và giai đoạn", "tac_nghiep",
         "Hồ sơ dự án lưu giấy, thất lạc khi bàn giao. Sáng kiến lưu điện tử theo mã dự án, giai đoạn.",
         "Bàn giao, tra cứu hồ sơ dự án nhanh chóng.", None),
    ],
    [  # Đội Quản lý trật tự xây dựng đô thị
        ("Kiểm tra trật tự xây dựng theo tuyến, ô phố được phân công cố định", "quan_ly",
         "Kiểm tra dàn trải, bỏ sót công trình vi phạm. Sáng kiến giao cán bộ phụ trách cố định từng ô "
         "phố.",
         "Phát hiện vi phạm ngay từ khi mới phát sinh.", None),
        ("Ứng dụng chụp ảnh định vị công trình vi phạm gửi về Đội", "ung_dung",
         "Thông tin vi phạm báo về chậm, thiếu căn cứ. Sáng kiến dùng ứng dụng chụp ảnh có định vị và "
         "thời gian.",
         "Hồ sơ xử lý vi phạm đầy đủ căn cứ, giảm khiếu nại.", None),
        ("Sổ theo dõi công trình được cấp phép và tiến độ thi công", "tac_nghiep",
         "Khó đối chiếu công trình thi công với giấy phép. Sáng kiến lập sổ theo dõi gắn giấy phép với "
         "địa chỉ.",
         "Đối chiếu nhanh tại hiện trường.", None),
        ("Phối hợp phường xử lý vi phạm trật tự xây dựng theo quy chế liên ngành", "quan_ly",
         "Xử lý vi phạm chồng chéo giữa Đội và phường. Sáng kiến xây dựng quy chế phối hợp phân rõ việc.",
         "Thời gian xử lý một vụ vi phạm giảm 30%.", None),
    ],
    [  # Ban Bồi thường, giải phóng mặt bằng
        ("Đối thoại với người dân bị thu hồi đất theo nhóm hộ có cùng vướng mắc*", "quan_ly",
         "Đối thoại từng hộ kéo dài. Sáng kiến tổ chức đối thoại theo nhóm hộ có vướng mắc giống nhau, "
         "giải thích chính sách bằng ví dụ cụ thể.",
         "Tiến độ giải phóng mặt bằng các dự án trọng điểm rút ngắn 2 tháng.", 500_000_000),
        ("Bảng tính phương án bồi thường tự động theo đơn giá hiện hành", "ky_thuat",
         "Tính toán phương án bồi thường thủ công, dễ sai. Sáng kiến lập bảng tính tự động theo đơn giá "
         "và chính sách hỗ trợ.",
         "Không còn sai sót số liệu phải điều chỉnh phương án.", None),
        ("Hồ sơ giải phóng mặt bằng từng hộ được số hóa và công khai tiến độ", "tac_nghiep",
         "Người dân không rõ hồ sơ của mình đến đâu. Sáng kiến công khai tiến độ hồ sơ từng hộ.",
         "Giảm đơn thư hỏi tiến độ.", None),
        ("Quy trình chi trả tiền bồi thường qua tài khoản ngân hàng", "quan_ly",
         "Chi trả tiền mặt số lượng lớn tiềm ẩn rủi ro. Sáng kiến chi trả qua tài khoản của người dân.",
         "An toàn, minh bạch, nhanh chóng.", None),
    ],
    [  # Trung tâm Phát triển quỹ đất
        ("Danh mục quỹ đất sạch có bản đồ và tình trạng pháp lý", "ung_dung",
         "Khó nắm quỹ đất đã giải phóng mặt bằng. Sáng kiến lập danh mục có bản đồ và tình trạng pháp lý "
         "từng khu.",
         "Chủ động đề xuất đấu giá, giao đất đúng kế hoạch.", None),
        ("Quy trình chuẩn bị hồ sơ đấu giá quyền sử dụng đất rút ngắn thời gian", "quan_ly",
         "Chuẩn bị hồ sơ đấu giá kéo dài. Sáng kiến làm song song các bước thẩm định và lập phương án.",
         "Thời gian chuẩn bị giảm từ 4 tháng xuống 2,5 tháng.", None),
    ],
    [  # Ban Quản lý chợ
        ("Thu phí chợ bằng mã QR thay cho biên lai giấy", "ung_dung",
         "Thu phí bằng tiền mặt, biên lai giấy khó kiểm soát. Sáng kiến thu qua mã QR, đối soát tự động.",
         "Thu đúng, thu đủ; tiết kiệm công in biên lai.", None),
        ("Sơ đồ phòng cháy, chữa cháy và lối thoát nạn tại từng dãy hàng trong chợ", "tac_nghiep",
         "Tiểu thương chưa nắm lối thoát nạn. Sáng kiến đặt sơ đồ tại từng dãy hàng và diễn tập định kỳ.",
         "Nâng cao an toàn phòng cháy, chữa cháy tại chợ.", None),
    ],
]
