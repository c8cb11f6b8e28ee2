from django.core.management.base import BaseCommand

from werkplek.recognitions.demo import load_demo_recognitions


def _line(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {count}" for name, count in counts.items()) or "none"


class Command(BaseCommand):
    help = ("Demo recognitions: the demo enterprise's register (active, expiring, expired, "
            "renewed, support actions) and, for other demo enterprises, sanctions and appeals in "
            "every state, with their letters (after load_demo_cases; idempotent; never in "
            "production).")

    def handle(self, *args, **options):
        result = load_demo_recognitions()
        built, total = result["built"], result["scenarios"]
        self.stdout.write(f"Demo recognitions ready: {built} scenario(s) built, "
                          f"{total - built - len(result['problems'])} already there")
        for problem in result["problems"]:
            self.stderr.write(f"Not built: {problem}")
        for title, key in (("Recognitions", "recognitions"),
                           ("Support actions", "support_actions"),
                           ("Sanctions by kind", "sanctions"),
                           ("Sanctions by state", "sanction_states"), ("Appeals", "appeals"),
                           ("Agreements", "agreements"),
                           ("Letters of sanctions and appeals", "letters")):
            self.stdout.write(f"  {title}: {_line(result[key])}")
