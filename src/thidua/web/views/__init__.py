from thidua.web.views.home import csrf_failure, home, pending

__all__ = ["csrf_failure", "home", "pending"]
