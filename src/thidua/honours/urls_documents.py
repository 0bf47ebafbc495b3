"""Downloads of the generated honours documents (views/documents.py)."""

from django.urls import path

from thidua.honours.views import documents

app_name = "honours_docs"

urlpatterns = [
    path("khen-thuong/ho-so/<int:pk>/to-trinh.docx", documents.to_trinh, name="to_trinh"),
    path("khen-thuong/ho-so/<int:pk>/bien-ban.docx", documents.bien_ban, name="bien_ban"),
    path("khen-thuong/ho-so/<int:pk>/ung-vien/<int:cid>/bao-cao.docx", documents.bao_cao,
         name="bao_cao"),
    path("khen-thuong/quyet-dinh/<int:pk>.docx", documents.decision_docx, name="decision_docx"),
    path("khen-thuong/quyet-dinh/<int:pk>.pdf", documents.decision_pdf, name="decision_pdf"),
]
