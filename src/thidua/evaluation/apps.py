from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "thidua.evaluation"
    label = "evaluation"
    verbose_name = "Đánh giá, bình xét danh hiệu"
