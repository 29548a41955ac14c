"""The service navigation: which links each role sees in the header."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from thrive_edi.roles import Role, user_roles

ALL_ROLES = frozenset(Role)


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[Role] = ALL_ROLES


NAV_ITEMS = (
    NavItem("Home", "home"),
    NavItem("Assessments", "assessments:list", frozenset({Role.STAFF, Role.APPROVER})),
    NavItem("My actions", "assessments:my_actions", frozenset({Role.STAFF, Role.APPROVER})),
    NavItem("Board portal", "reporting:portal", frozenset({Role.BOARD, Role.APPROVER, Role.ADMIN})),
    NavItem("Dashboard", "reporting:dashboard"),
    NavItem("Framework guide", "frameworks:guide"),
    NavItem("Admin", "admin:index", frozenset({Role.ADMIN})),
)


def navigation_for(request) -> list[dict]:
    roles = user_roles(request.user)
    items = []
    for item in NAV_ITEMS:
        if item.roles != ALL_ROLES and not roles & item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:  # the app that owns the page is not wired in
            continue
        is_root = url == "/"
        active = request.path == url if is_root else request.path.startswith(url)
        items.append({"label": item.label, "url": url, "active": active})
    return items
