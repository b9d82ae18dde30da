from .views import OrganisatieViewSet, PersoonViewSet

routes = [("persoon", PersoonViewSet), ("organisatie", OrganisatieViewSet)]
