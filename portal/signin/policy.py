"""Who needs a second factor, and how long their session may sit idle.

One rule, asked by the sign-in views, the middleware and the demo set-up alike: anyone
who can reach the admin (every role that changes or decides) or is staff or superuser.
Plain staff readers have no admin access, so a password is enough for the intranet.
"""

from django.conf import settings
from django.utils import timezone

from portal.roles import ADMIN_ACCESS

LAST_SEEN_SESSION_KEY = "signin_last_seen"
# Writing the session on every request would cost a query each; a minute's precision is plenty.
LAST_SEEN_PRECISION_SECONDS = 60


def needs_second_factor(user):
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.is_staff or user.has_perm(ADMIN_ACCESS)


def start_privileged_session(session):
    """The session ends when the browser closes, and after a working day idle (see is_idle)."""
    session.set_expiry(0)
    session[LAST_SEEN_SESSION_KEY] = int(timezone.now().timestamp())


def is_idle(session):
    last_seen = session.get(LAST_SEEN_SESSION_KEY)
    if last_seen is None:
        return True
    idle = timezone.now().timestamp() - last_seen
    return idle > settings.PRIVILEGED_SESSION_IDLE_TIMEOUT.total_seconds()


def touch(session):
    now = int(timezone.now().timestamp())
    if now - session.get(LAST_SEEN_SESSION_KEY, 0) >= LAST_SEEN_PRECISION_SECONDS:
        session[LAST_SEEN_SESSION_KEY] = now
