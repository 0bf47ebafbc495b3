from importlib import import_module

from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "thidua.evaluation"
    label = "evaluation"
    verbose_name = "Đánh giá, bình xét danh hiệu"

    def ready(self) -> None:
        # the documents module registers the Word templates an administrator may replace
        import_module(f"{self.name}.documents")
        # the title figures register with the roster's figures (ADR 0031)
        import_module(f"{self.name}.figures")
        # and the gradings and collective titles, kept as subtree sums (ADR 0036)
        import_module(f"{self.name}.unit_figures")
        # ratings and titles travel with a subtree in `thidua dump` / `thidua load`
        import_module(f"{self.name}.exchange").register()
        # and the CĐCS gradings with their templates (format version 7)
        import_module(f"{self.name}.exchange_gradings").register()
        # and the year-end reviews with their councils, candidates and votes (version 8)
        import_module(f"{self.name}.exchange_reviews").register()
