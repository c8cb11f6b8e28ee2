from werkplek.core.daily import DailyCommand
from werkplek.recognitions.services import (
    end_exclusions,
    expire_recognitions,
    remind_support_follow_ups,
    send_end_reminders,
)


class Command(DailyCommand):
    help = ("The daily jobs of the recognitions register: remind enterprises 6 and 2 months "
            "before a recognition ends, expire recognitions past their last day (with notice; "
            "their agreements end), end temporary exclusions, and flag support actions due for "
            "follow-up. Safe to run again: nothing is sent or changed twice.")

    def run(self, today):
        reminded = send_end_reminders(today=today)
        expired = expire_recognitions(today=today)
        ended = end_exclusions(today=today)
        due = remind_support_follow_ups(today=today)
        return (f"{reminded} reminder(s) sent, {expired} recognition(s) expired, "
                f"{ended} exclusion(s) ended, {due} support action(s) due for follow-up.")
