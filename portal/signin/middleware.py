from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse

from portal.signin import policy
from portal.signin.steps import second_step_url


class SecondFactorMiddleware:
    """Holds a role that changes or decides to the second step until its code is given.

    Until then the session reaches only the sign-in steps, sign-out and static files:
    no admin page, no intranet page, no form that changes anything. Such sessions also
    end after PRIVILEGED_SESSION_IDLE_TIMEOUT without a request. Must come after
    django_otp's OTPMiddleware, which tells whether the session is verified.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and policy.needs_second_factor(user):
            if policy.is_idle(request.session):
                logout(request)
                return redirect_to_login(request.get_full_path())
            policy.touch(request.session)
            if not user.is_verified() and not self.open_to_unverified(request.path_info):
                return redirect(second_step_url(user, request.get_full_path()))
        return self.get_response(request)

    @staticmethod
    def open_to_unverified(path):
        open_prefixes = (
            "/sign-in/",
            reverse("portal:logout"),
            reverse("wagtailadmin_login"),
            reverse("wagtailadmin_logout"),
            settings.STATIC_URL,
        )
        return path.startswith(open_prefixes)
