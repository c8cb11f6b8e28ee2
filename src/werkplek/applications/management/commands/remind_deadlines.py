from django.core.management.base import BaseCommand

from werkplek.applications.reminders import remind_deadlines


class Command(BaseCommand):
    help = ("Remind case handlers of decisions due within 3 days and flag overdue ones (run "
            "daily; running it again sends nothing twice).")

    def handle(self, *args, **options):
        result = remind_deadlines()
        self.stdout.write(f"{result.reminded} reminder(s), {result.overdue} overdue "
                          f"application(s) flagged.")
