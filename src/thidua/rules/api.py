from ninja import Router

router = Router(tags=["Quy tắc danh hiệu"])
