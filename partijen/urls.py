from .views import (
    CategorieRelatieViewSet,
    CategorieViewSet,
    DigitaalAdresViewSet,
    PartijIdentificatorViewSet,
    PartijViewSet,
    RekeningnummerViewSet,
    VertegenwoordigdenViewSet,
)

routes = [
    ("partijen", PartijViewSet),
    ("partij-identificatoren", PartijIdentificatorViewSet),
    ("digitaleadressen", DigitaalAdresViewSet),
    ("rekeningnummers", RekeningnummerViewSet),
    ("vertegenwoordigingen", VertegenwoordigdenViewSet),
    ("categorieen", CategorieViewSet),
    ("categorie-relaties", CategorieRelatieViewSet),
]
urlpatterns = []
