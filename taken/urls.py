from .views import ActorKlantcontactViewSet, ActorViewSet, InterneTaakViewSet

routes = [
    ("actoren", ActorViewSet),
    ("actorklantcontacten", ActorKlantcontactViewSet),
    ("internetaken", InterneTaakViewSet),
]
urlpatterns = []
