from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from portal.signin import devices


class Command(BaseCommand):
    help = "Remove a person's authenticator and recovery codes (lost phone): they enrol again at next sign-in."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user called {username}.")
        removed = devices.forget(user)
        self.stdout.write(f"{username}: {removed} device(s) removed; they set up an authenticator at next sign-in.")
