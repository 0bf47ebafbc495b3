from ninja import Router

router = Router(tags=["Sáng kiến"])
