from ninja import Router

router = Router(tags=["Contrats locaux des solidarités"])
