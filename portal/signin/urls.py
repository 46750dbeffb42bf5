from django.urls import path

from portal.signin import views

# Everything under /sign-in/ is open to a session that still owes its second factor.
urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-in/code/", views.SecondFactorView.as_view(), name="second_factor"),
    path("sign-in/set-up/", views.SetUpView.as_view(), name="second_factor_setup"),
    path("sign-in/recovery-codes/", views.RecoveryCodesView.as_view(), name="recovery_codes"),
]
