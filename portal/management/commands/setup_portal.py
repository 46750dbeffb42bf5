from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from portal import services
from portal.signin.devices import DEMO_TOTP_SECRET

# The demo's Editors account keeps the Framework and guidance up to date.
DEMO_CONTENT_OWNER = "editor"


class Command(BaseCommand):
    help = "Build the site tree, load the framework content, create roles and workflows (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo-users",
            action="store_true",
            help="Also create one demo account per role (development only, never production).",
        )
        parser.add_argument(
            "--content-owner",
            metavar="USERNAME",
            help=(
                "Make this account the content owner of every guidance page that has none, so the "
                f"review-by reminders reach someone (with --demo-users: {DEMO_CONTENT_OWNER})."
            ),
        )

    def handle(self, *args, demo_users=False, content_owner=None, **options):
        report = services.setup_portal()
        if demo_users:
            logins = services.create_demo_users(report)
        owner_name = content_owner or (DEMO_CONTENT_OWNER if demo_users else None)
        if owner_name:
            owner = get_user_model().objects.filter(username=owner_name, is_active=True).first()
            if owner is None:
                raise CommandError(f"--content-owner: no active account is called {owner_name!r}.")
            services.assign_content_owners(owner, report)
        unowned = len(services.pages_without_owner())
        created = report.created
        self.stdout.write(f"setup_portal: {len(created)} things created" if created else "setup_portal: up to date")
        if unowned:
            self.stdout.write(
                self.style.WARNING(
                    f"{unowned} guidance pages have no content owner, so no one is reminded to review them: "
                    "run setup_portal --content-owner USERNAME."
                )
            )
        if demo_users:
            self.stdout.write(self.style.WARNING("Demo logins (development only):"))
            for username, password, groups in logins:
                self.stdout.write(f"  {username:<10} {password}  ({groups})")
            self.stdout.write(
                f"  Roles that change or decide also give a security code: add the secret {DEMO_TOTP_SECRET}\n"
                "  to an authenticator app, or print the current code with `make totp`."
            )
