import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from thidua import urls as project_urls
from thidua.platform.errors import ApplicationError, NotFoundError


def _missing(request: HttpRequest) -> HttpResponse:
    raise NotFoundError()


def _refused(request: HttpRequest) -> HttpResponse:
    raise ApplicationError("Không được.")


# the project's routes too: the 404 page links to them
urlpatterns = [path("missing/", _missing), path("refused/", _refused), *project_urls.urlpatterns]


@pytest.mark.urls(__name__)
def test_not_found_error_escaping_a_view_is_the_404_page(client: Client) -> None:
    response = client.get("/missing/")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()


@pytest.mark.urls(__name__)
def test_other_errors_are_not_turned_into_404() -> None:
    with pytest.raises(ApplicationError):
        Client(raise_request_exception=True).get("/refused/")
