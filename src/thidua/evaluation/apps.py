from importlib import import_module

from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "thidua.evaluation"
    label = "evaluation"
    verbose_name = "Đánh giá, bình xét danh hiệu"

    def ready(self) -> None:
        # the documents module registers the Word templates an administrator may replace
        import_module(f"{self.name}.documents")
        # the title figures follow the roster's changes of periods (ADR 0031)
        from thidua.evaluation.figures import TITLE_FIGURES
        from thidua.people.figures import register_dependent

        register_dependent(TITLE_FIGURES)
