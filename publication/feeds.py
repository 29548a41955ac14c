"""An Atom feed of new publications on the register."""

from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from publication import opendata
from publication.caching import cached_for_anonymous

FEED_SIZE = 50


class NewPublications(Feed):
    feed_type = Atom1Feed
    title = _("Thrive LDN: equality impact assessments published")
    subtitle = _(
        "New public summaries of Thrive LDN's equality impact assessments. Open Government Licence v3.0."
    )
    link = reverse_lazy("publication:register")
    author_name = "Thrive LDN"
    feed_copyright = opendata.LICENCE

    def __call__(self, request, *args, **kwargs):
        return cached_for_anonymous(super().__call__)(request, *args, **kwargs)

    def items(self):
        return opendata.published_entries()[:FEED_SIZE]

    def item_title(self, item):
        return f"{item.assessment.reference}: {item.assessment.title}"

    def item_description(self, item):
        return opendata.public_text(item.assessment)

    def item_link(self, item):
        return reverse("publication:summary", args=[item.assessment.reference])

    def item_pubdate(self, item):
        return item.decided_at

    def item_updateddate(self, item):
        return item.decided_at


new_publications = login_not_required(NewPublications())
