from django.core.management.base import BaseCommand

from portal import services
from portal.signin.devices import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Build the site tree, load the framework content, create roles and workflows (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo-users",
            action="store_true",
            help="Also create one demo account per role (development only, never production).",
        )

    def handle(self, *args, demo_users=False, **options):
        report = services.setup_portal()
        if demo_users:
            logins = services.create_demo_users(report)
        created = report.created
        self.stdout.write(f"setup_portal: {len(created)} things created" if created else "setup_portal: up to date")
        if demo_users:
            self.stdout.write(self.style.WARNING("Demo logins (development only):"))
            for username, password, groups in logins:
                self.stdout.write(f"  {username:<10} {password}  ({groups})")
            self.stdout.write(
                f"  Roles that change or decide also give a security code: add the secret {DEMO_TOTP_SECRET}\n"
                "  to an authenticator app, or print the current code with `make totp`."
            )
