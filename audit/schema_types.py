"""Google's rich-result types that French small businesses use: their required and
recommended schema.org properties, as data (the ``structured-data`` rule reads them).

Each table follows the Google Search Central documentation page named in its comment
(developers.google.com/search/docs/appearance/structured-data/…), as published in 2025.
A property written ``"a|b"`` is satisfied by either (Google's « one of »). ``nested``
checks the value of a property with another table (an Offer inside a Product). Only what
decides a rich result is listed: properties Google calls optional are left out, so that
a notice is always worth reading.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Spec:
    name: str  # the rich result, as Google names it
    required: tuple[str, ...] = ()
    recommended: tuple[str, ...] = ()
    nested: dict[str, str] = field(default_factory=dict)  # property -> SPECS key


SPECS: dict[str, Spec] = {
    # …/organization — « there are no required properties »; logo, url and name give the
    # logo in results and the knowledge panel, sameAs the profiles.
    "Organization": Spec("Organization", recommended=("name", "url", "logo")),
    # …/local-business — required: name, address; recommended: telephone, url,
    # openingHoursSpecification, geo, priceRange (and aggregateRating, review, menu…,
    # left out: not every business has them).
    "LocalBusiness": Spec(
        "LocalBusiness", required=("name", "address"),
        recommended=("telephone", "url", "openingHoursSpecification|openingHours", "geo",
                     "image"),
        nested={"address": "PostalAddress"}),
    # …/local-business, address: « include as many properties as possible ».
    "PostalAddress": Spec("PostalAddress", recommended=(
        "streetAddress", "addressLocality", "postalCode", "addressCountry")),
    # …/article — « there are no required properties »; recommended: headline, image,
    # datePublished, author (dateModified too, left out: a page never edited has none).
    "Article": Spec("Article", recommended=("headline", "image", "datePublished", "author")),
    # …/breadcrumb — required: itemListElement, and on each ListItem position and name;
    # item on every ListItem but the last (checked by the rule).
    "BreadcrumbList": Spec("BreadcrumbList", required=("itemListElement",)),
    "ListItem": Spec("ListItem", required=("position", "name|item")),
    # …/product-snippet — required: name, and one of review, aggregateRating, offers;
    # recommended: image, description.
    "Product": Spec(
        "Product", required=("name", "offers|review|aggregateRating"),
        recommended=("image", "description"),
        nested={"offers": "Offer", "aggregateRating": "AggregateRating", "review": "Review"}),
    # …/product-snippet, Offer: price (or priceSpecification) required; priceCurrency and
    # availability recommended.
    "Offer": Spec("Offer", required=("price|priceSpecification|lowPrice",),
                  recommended=("priceCurrency", "availability")),
    # …/review-snippet, AggregateRating: ratingValue and ratingCount or reviewCount.
    "AggregateRating": Spec("AggregateRating",
                            required=("ratingValue", "ratingCount|reviewCount")),
    # …/review-snippet, Review: author and reviewRating (with its ratingValue).
    "Review": Spec("Review", required=("author", "reviewRating"),
                   nested={"reviewRating": "Rating"}),
    "Rating": Spec("Rating", required=("ratingValue",)),
    # …/event — required: name, startDate, location; recommended: description, endDate,
    # eventStatus, eventAttendanceMode, image, offers, organizer, performer.
    "Event": Spec(
        "Event", required=("name", "startDate", "location"),
        recommended=("description", "endDate", "eventStatus", "eventAttendanceMode", "image",
                     "offers", "organizer"),
        nested={"location": "Place"}),
    # …/event, location: a Place with an address (a VirtualLocation has a url instead).
    "Place": Spec("Place", required=("address|url",)),
}

# Subtypes checked with their family's table (schema.org's hierarchy, the ones French
# small businesses and blogs use; anything else whose name ends in Store, Shop, Business or
# Restaurant counts as a LocalBusiness too: not « Service », a schema.org Service is an
# offer, not a place).
FAMILY: dict[str, str] = {
    **{t: "Organization" for t in (
        "Organization", "Corporation", "NGO", "EducationalOrganization", "GovernmentOrganization",
        "NewsMediaOrganization", "OnlineBusiness", "OnlineStore", "SportsOrganization",
        "PerformingGroup", "MedicalOrganization", "Airline", "Consortium", "Cooperative",
        "FundingScheme", "LibrarySystem", "ResearchOrganization", "WorkersUnion")},
    **{t: "LocalBusiness" for t in (
        "LocalBusiness", "AnimalShelter", "AutomotiveBusiness", "AutoRepair", "AutoDealer",
        "ChildCare", "Dentist", "DryCleaningOrLaundry", "EmergencyService", "EmploymentAgency",
        "EntertainmentBusiness", "FinancialService", "AccountingService", "BankOrCreditUnion",
        "InsuranceAgency", "FoodEstablishment", "Bakery", "BarOrPub", "Brewery",
        "CafeOrCoffeeShop", "Distillery", "FastFoodRestaurant", "IceCreamShop", "Restaurant",
        "Winery", "GovernmentOffice", "HealthAndBeautyBusiness", "BeautySalon", "DaySpa",
        "HairSalon", "HealthClub", "NailSalon", "TattooParlor", "HomeAndConstructionBusiness",
        "Electrician", "GeneralContractor", "HVACBusiness", "HousePainter", "Locksmith",
        "MovingCompany", "Plumber", "RoofingContractor", "InternetCafe", "LegalService",
        "Attorney", "Notary", "Library", "LodgingBusiness", "BedAndBreakfast", "Campground",
        "Hostel", "Hotel", "Motel", "Resort", "MedicalBusiness", "Optician", "Pharmacy",
        "Physician", "ProfessionalService", "RealEstateAgent", "RecyclingCenter",
        "SelfStorage", "ShoppingCenter", "SportsActivityLocation", "SportsClub",
        "ExerciseGym", "GolfCourse", "Store", "TouristInformationCenter", "TravelAgency",
        "Florist")},
    **{t: "Article" for t in ("Article", "BlogPosting", "NewsArticle", "TechArticle",
                              "Report", "ScholarlyArticle", "LiveBlogPosting")},
    **{t: "Event" for t in (
        "Event", "BusinessEvent", "ChildrensEvent", "ComedyEvent", "CourseInstance",
        "DanceEvent", "EducationEvent", "ExhibitionEvent", "Festival", "FoodEvent",
        "LiteraryEvent", "MusicEvent", "SaleEvent", "ScreeningEvent", "SocialEvent",
        "SportsEvent", "TheaterEvent", "VisualArtsEvent")},
    "BreadcrumbList": "BreadcrumbList",
    "Product": "Product", "ProductGroup": "Product", "IndividualProduct": "Product",
    "Vehicle": "Product", "Car": "Product",
}
_LOCAL_SUFFIXES = ("Store", "Shop", "Business", "Restaurant")

# Rich results Google retired (Search Central blog, « Changes to HowTo and FAQ rich
# results », August 2023): FAQ shown only for well-known government and health sites,
# HowTo no longer shown at all.
RETIRED: dict[str, str] = {"FAQPage": "FAQ", "HowTo": "HowTo"}

# Types whose sameAs names the brand's (or the author's) profiles: social-profiles reads
# them (audit/structured.py).
PROFILE_FAMILIES = frozenset({"Organization", "LocalBusiness"})
PROFILE_TYPES = frozenset({"Person"})


def family(schema_type: str) -> str:
    """The table a schema.org type is checked with ("" when none)."""
    known = FAMILY.get(schema_type)
    if known:
        return known
    if schema_type.endswith(_LOCAL_SUFFIXES):
        return "LocalBusiness"
    return ""


__all__ = ["FAMILY", "PROFILE_FAMILIES", "PROFILE_TYPES", "RETIRED", "SPECS", "Spec", "family"]
