"""London's Integrated Care Systems and their 33 local authorities, as first loaded.

The data migration and a fresh (or flushed) database start from these; admins may reword
names afterwards in Django admin. GSS codes are the Office for National Statistics' codes of
the 32 London boroughs and the City of London (E09000001 to E09000033).
"""

LONDON_WIDE = "london"  # the choice, filter value and count key that stands for all of London

# (key, name) of each Integrated Care System, in the order pages list them.
INTEGRATED_CARE_SYSTEMS = (
    ("ncl", "North Central London"),
    ("nel", "North East London"),
    ("nwl", "North West London"),
    ("sel", "South East London"),
    ("swl", "South West London"),
)

# (GSS code, name, Integrated Care System key) of each local authority.
LOCAL_AUTHORITIES = (
    ("E09000001", "City of London", "nel"),
    ("E09000002", "Barking and Dagenham", "nel"),
    ("E09000003", "Barnet", "ncl"),
    ("E09000004", "Bexley", "sel"),
    ("E09000005", "Brent", "nwl"),
    ("E09000006", "Bromley", "sel"),
    ("E09000007", "Camden", "ncl"),
    ("E09000008", "Croydon", "swl"),
    ("E09000009", "Ealing", "nwl"),
    ("E09000010", "Enfield", "ncl"),
    ("E09000011", "Greenwich", "sel"),
    ("E09000012", "Hackney", "nel"),
    ("E09000013", "Hammersmith and Fulham", "nwl"),
    ("E09000014", "Haringey", "ncl"),
    ("E09000015", "Harrow", "nwl"),
    ("E09000016", "Havering", "nel"),
    ("E09000017", "Hillingdon", "nwl"),
    ("E09000018", "Hounslow", "nwl"),
    ("E09000019", "Islington", "ncl"),
    ("E09000020", "Kensington and Chelsea", "nwl"),
    ("E09000021", "Kingston upon Thames", "swl"),
    ("E09000022", "Lambeth", "sel"),
    ("E09000023", "Lewisham", "sel"),
    ("E09000024", "Merton", "swl"),
    ("E09000025", "Newham", "nel"),
    ("E09000026", "Redbridge", "nel"),
    ("E09000027", "Richmond upon Thames", "swl"),
    ("E09000028", "Southwark", "sel"),
    ("E09000029", "Sutton", "swl"),
    ("E09000030", "Tower Hamlets", "nel"),
    ("E09000031", "Waltham Forest", "nel"),
    ("E09000032", "Wandsworth", "swl"),
    ("E09000033", "Westminster", "nwl"),
)


def load_london(apps=None) -> int:
    """Create the systems and local authorities that are missing; returns how many authorities
    were created. ``apps``: a migration's app registry; the models' own when None."""
    if apps is None:
        from places.models import IntegratedCareSystem, LocalAuthority
    else:
        IntegratedCareSystem = apps.get_model("places", "IntegratedCareSystem")
        LocalAuthority = apps.get_model("places", "LocalAuthority")
    systems = {}
    for order, (key, name) in enumerate(INTEGRATED_CARE_SYSTEMS, start=1):
        systems[key], _ = IntegratedCareSystem.objects.get_or_create(
            key=key, defaults={"name": name, "order": order}
        )
    existing = set(LocalAuthority.objects.values_list("gss_code", flat=True))
    missing = [
        LocalAuthority(gss_code=code, name=name, ics=systems[ics])
        for code, name, ics in LOCAL_AUTHORITIES
        if code not in existing
    ]
    LocalAuthority.objects.bulk_create(missing)
    return len(missing)
