from ninja import NinjaAPI

api = NinjaAPI(title="API Pacte des solidarités", version="1", urls_namespace="api")
