from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from portal.signin import devices


class Command(BaseCommand):
    help = "Print the current security code of the demo accounts (their published TOTP secret)."

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", help="A demo account; checks that it uses the demo secret.")

    def handle(self, *args, username=None, **options):
        if username:
            user = get_user_model().objects.filter(username=username).first()
            device = user and devices.authenticator(user)
            if device is None or devices.secret(device) != devices.DEMO_TOTP_SECRET:
                raise CommandError(f"{username} is not a demo account with the demo authenticator.")
        self.stdout.write(devices.current_code(devices.DEMO_TOTP_SECRET))
