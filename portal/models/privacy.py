"""Page privacy: which pages a viewer may see, checked in SQL, and each page's own check in one query."""

from django.contrib.auth.models import Group
from django.db.models import CharField, Exists, ExpressionWrapper, F, OuterRef, Q
from django.db.models.lookups import StartsWith
from wagtail.models import Page, PageViewRestriction


def unmet_restrictions(user=None, passed_restriction_ids=()):
    """View restrictions a viewer does not satisfy, as a queryset to nest in another query.

    Mirrors ``PageViewRestriction.accept_request``: a sign-in restriction is met by
    any signed-in user, a group restriction by a member of one of its groups (or a
    superuser), a password restriction only once its password was given in the
    viewer's session.
    """
    met = Q(pk__in=list(passed_restriction_ids), restriction_type=PageViewRestriction.PASSWORD)
    if user is not None and user.is_authenticated:
        met |= Q(restriction_type=PageViewRestriction.LOGIN)
        if user.is_superuser:
            met |= Q(restriction_type=PageViewRestriction.GROUPS)
        else:
            member = Group.objects.filter(pageviewrestriction=OuterRef("pk"), user=user)
            met |= Q(Exists(member), restriction_type=PageViewRestriction.GROUPS)
    return PageViewRestriction.objects.exclude(met)


def hidden_pages(user=None, passed_restriction_ids=()):
    """Pages beneath a restriction the viewer does not satisfy, aliases of such pages included.

    A restriction covers its page and every descendant (their tree paths start with
    the page's), and an alias is private when its source page is, as
    ``get_view_restrictions`` below has it.
    """
    restricted = unmet_restrictions(user, passed_restriction_ids).values("page_id")
    roots = Page.objects.filter(Q(pk__in=restricted) | Q(alias_of__in=restricted))
    beneath_a_root = roots.filter(StartsWith(ExpressionWrapper(OuterRef("path"), output_field=CharField()), F("path")))
    return Page.objects.filter(Exists(beneath_a_root))


def viewable_q(user=None, passed_restriction_ids=()):
    """A filter for pages a viewer may see; without a user, what the public may see.

    One condition with a subquery, so a listing costs no extra query however many
    restrictions exist, and site search accepts it (a filter on ``id``).
    """
    return ~Q(pk__in=hidden_pages(user, passed_restriction_ids).values("pk"))


def viewable_by(request):
    """A filter for the pages the request's user may see (see ``viewable_q``).

    Password-protected pages are left out of every listing, search and menu unless
    this session has already given their password: a list cannot ask for it.
    """
    session = getattr(request, "session", None)
    passed = session.get(PageViewRestriction.passed_view_restrictions_session_key, []) if session else []
    return viewable_q(getattr(request, "user", None), passed)


class ViewRestrictionsInOneQueryMixin:
    """Reads the restrictions of a page and its ancestors in one query rather than two.

    Wagtail's ``get_view_restrictions`` first loads the ancestors (to follow aliases
    to their source pages) and then their restrictions, on every page served. An
    ancestor's tree path is a prefix of the page's own, so a single query with a
    subquery finds the same restrictions: those on the page and its ancestors that
    are not aliases, and those on the source pages of the ones that are.

    Serving a page asks twice (the portal's hook refusing signed-in outsiders, then
    Wagtail's own check), so each page instance keeps its one queryset and the rows
    it read; an instance lives for one request.
    """

    def get_view_restrictions(self):
        restrictions = self.__dict__.get("_view_restrictions")
        if restrictions is None:
            paths = [self.path[: depth * self.steplen] for depth in range(1, self.depth + 1)]
            on_the_way = Page.objects.filter(path__in=paths)
            restrictions = PageViewRestriction.objects.filter(
                Q(page__in=on_the_way.filter(alias_of__isnull=True).values("pk"))
                | Q(page__in=on_the_way.filter(alias_of__isnull=False).values("alias_of_id"))
            )
            self.__dict__["_view_restrictions"] = restrictions
        return restrictions
