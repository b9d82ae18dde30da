from .views import InzageViewSet

routes = [("inzage", InzageViewSet)]
urlpatterns = []
