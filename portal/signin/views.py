from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView
from django_otp import login as otp_login

from portal.forms import SignInForm
from portal.signin import devices, policy, throttle
from portal.signin.forms import CodeForm, SetUpForm
from portal.signin.steps import second_step_url

RECOVERY_CODES_SESSION_KEY = "signin_recovery_codes"


class SignInView(auth_views.LoginView):
    """The portal's sign-in; roles that change or decide go on to their second step."""

    template_name = "portal/auth/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        if policy.needs_second_factor(user):
            return redirect(second_step_url(user, self.get_success_url()))
        return response


def safe_next(request):
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return next_url
    return settings.LOGIN_REDIRECT_URL


@method_decorator(never_cache, name="dispatch")
class SecondStepView(FormView):
    """Shared by the code and set-up pages: only a signed-in role that owes a second factor."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect(settings.LOGIN_URL)
        if not policy.needs_second_factor(user) or user.is_verified():
            return redirect(safe_next(request))
        return self.other_step(user) or super().dispatch(request, *args, **kwargs)

    def other_step(self, user):
        """A redirect when this user's second step is the other page."""
        return None

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=safe_next(self.request), **kwargs)

    def finish(self, device):
        otp_login(self.request, device)
        policy.start_privileged_session(self.request.session)


class SecondFactorView(SecondStepView):
    template_name = "portal/auth/second_factor.html"
    form_class = CodeForm

    def other_step(self, user):
        if not devices.is_enrolled(user):
            return redirect(second_step_url(user, safe_next(self.request)))
        return None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def post(self, request, *args, **kwargs):
        # Wrong codes count against the user and the address, as wrong passwords do.
        if not throttle.is_allowed(request, request.user.get_username()):
            return self.locked_out()
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if throttle.record_failure(self.request, self.request.user.get_username()):
            return self.locked_out()
        return super().form_invalid(form)

    def form_valid(self, form):
        self.finish(form.device)
        return redirect(safe_next(self.request))

    def locked_out(self):
        logout(self.request)
        return throttle.lockout_response(self.request)


class SetUpView(SecondStepView):
    """Enrolment on first sign-in: scan (or type) the secret, confirm with one code."""

    template_name = "portal/auth/second_factor_setup.html"
    form_class = SetUpForm

    def other_step(self, user):
        # Once enrolled, a new authenticator is never added without the old one's code.
        if devices.is_enrolled(user):
            return redirect(second_step_url(user, safe_next(self.request)))
        self.device = devices.enrolment_device(user)
        return None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "device": self.device}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            qr_code=devices.qr_code_svg(self.device),
            secret=devices.grouped(devices.secret(self.device)),
            **kwargs,
        )

    def form_valid(self, form):
        codes = devices.confirm(self.device)
        self.finish(self.device)
        self.request.session[RECOVERY_CODES_SESSION_KEY] = codes
        return redirect(f"{reverse('portal:recovery_codes')}?{urlencode({'next': safe_next(self.request)})}")


@method_decorator(never_cache, name="dispatch")
class RecoveryCodesView(TemplateView):
    """The recovery codes, shown once, right after enrolment."""

    template_name = "portal/auth/recovery_codes.html"

    def get(self, request, *args, **kwargs):
        codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
        if not codes or not request.user.is_authenticated or not request.user.is_verified():
            return redirect(safe_next(request))
        return self.render_to_response(self.get_context_data(codes=codes, next=safe_next(request)))


class PasswordResetView(auth_views.PasswordResetView):
    """Django's, with the link built on the portal's configured address, not the request's host."""

    def form_valid(self, form):
        self.extra_email_context = {**(self.extra_email_context or {}), "base_url": settings.PORTAL_BASE_URL}
        return super().form_valid(form)
