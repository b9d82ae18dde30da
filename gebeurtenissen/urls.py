from .views import AbonnementViewSet

routes = [("abonnementen", AbonnementViewSet)]
urlpatterns = []
