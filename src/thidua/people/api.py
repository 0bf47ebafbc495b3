from ninja import Router

router = Router(tags=["Người lao động, đoàn viên"])
