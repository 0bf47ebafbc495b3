from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "thidua.reports"
    label = "reports"
    verbose_name = "Chỉ tiêu, chăm lo, phát triển Đảng và báo cáo"
