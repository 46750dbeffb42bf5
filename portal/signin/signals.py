from portal.signin import policy


def limit_privileged_session(sender, request, user, **kwargs):
    """A role that changes or decides gets a session that ends with the browser.

    Set at every sign-in (the portal's, the admin's, Wagtail's own); the second step sets
    it again, after the admin's "remember me" has had its say.
    """
    if request is not None and policy.needs_second_factor(user):
        policy.start_privileged_session(request.session)
