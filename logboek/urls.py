from .views import VerwerkingViewSet

routes = [("verwerkingen", VerwerkingViewSet)]
urlpatterns = []
