"""A task worker killed in the middle of a batch of official e-mails: nothing is lost, nothing is
sent twice.

A real worker process (`python -m django db_worker`, as `make worker` runs it) shares the
PostgreSQL test database with this test and sends the decision letter to `RECIPIENTS`
recipients through a real SMTP server (aiosmtpd, in this process) that takes `SMTP_DELAY`
seconds per message. When the server is busy with message number `KILL_AT`, the worker gets
SIGKILL: it dies in the middle of that SMTP conversation, before the server accepted the
message. A new worker then sends the rest, and the interrupted delivery is given a new task by
`notices_resume` once its claim is stale (`NOTICES_STALE_CLAIM`, 2 seconds here), and is taken
over. In the end each recipient has exactly one copy, each delivery is recorded sent once, and
the interrupted attempt is on record.

The one duplicate SMTP cannot rule out (the worker dies after the server accepted the message
and before recording it) is shown by the second test: the copy sent again carries the same
Message-ID, by which mail systems recognise it.

The first test runs on PostgreSQL only: the worker is another process, and pytest's SQLite test
database lives in this process's memory."""

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from .conftest import decided_application, issue

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the worker process shares the test database: pytest's SQLite test database lives "
           "in memory, in this process only")

RECIPIENTS = 20  # the official e-mails queued: one decision letter to 20 recipients
KILL_AT = 8  # the worker is killed while the SMTP server handles this message
SMTP_DELAY = 0.2  # seconds the SMTP server takes per message before it accepts it
STALE_CLAIM = 2  # seconds (NOTICES_STALE_CLAIM) before a dead worker's claim is taken over
TIMEOUT = 40  # seconds any one step may take before the test gives up
ROOT = Path(__file__).resolve().parent.parent.parent


class _SlowInbox:
    """An SMTP server's handler that takes `SMTP_DELAY` seconds per message, then accepts it
    ("250") and keeps it. A client that disconnects while it waits cancels it: that message was
    never accepted. `busy` is set when message number `KILL_AT` comes in."""

    def __init__(self):
        self.messages = []
        self.started = 0
        self.busy = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        self.started += 1
        if self.started == KILL_AT:
            self.busy.set()
        await asyncio.sleep(SMTP_DELAY)
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append({"to": list(envelope.rcpt_tos), "message": message})
        return "250 Message accepted for delivery"


@pytest.fixture
def slow_smtp():
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = _SlowInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    inbox.port = port
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def start_worker(settings, slow_smtp, tmp_path):
    """Start a task worker process on the test database, with the mail server above, the
    test's media folder and a stale claim of `STALE_CLAIM` seconds; every worker is stopped at
    the end of the test."""
    settings.NOTICES_STALE_CLAIM = STALE_CLAIM  # for `notices_resume`, run by this test
    (tmp_path / "crash_settings.py").write_text(
        "from werkplek.settings import *  # noqa: F403\n"
        f"MAILERS = {{'default': {{'BACKEND': 'django.core.mail.backends.smtp.EmailBackend', "
        f"'OPTIONS': {{'host': '127.0.0.1', 'port': {slow_smtp.port}, 'timeout': 10}}}}}}\n"
        f"MEDIA_ROOT = {str(settings.MEDIA_ROOT)!r}\n"
        f"NOTICES_STALE_CLAIM = {STALE_CLAIM}\n")
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    env = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "crash_settings",
           "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT / "src")]),
           "DATABASE_URL": f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:"
                           f"{db['PORT'] or 5432}/{db['NAME']}"}
    workers = []

    def start(name: str) -> subprocess.Popen:
        with (tmp_path / f"{name}.log").open("w") as log:
            worker = subprocess.Popen(
                [sys.executable, "-m", "django", "db_worker", "--interval", "0.1",
                 "--no-startup-delay", "--no-reload", "--worker-id", name],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()


def _poll(check, *, what: str, timeout: float = TIMEOUT, every: float = 0.2):
    """Wait until `check()` is true (it may do work, like a cron job would); fail after
    `timeout` seconds, saying what was awaited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(every)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


def _recipients(count: int) -> None:
    """Legal representatives of the demo enterprise (with an e-mail address) until the
    decision letter goes to `count` people (the applicant and the representatives)."""
    from werkplek.accounts.demo import DEMO_ENTERPRISE_NUMBER
    from werkplek.accounts.models import Membership, Role, User
    from werkplek.enterprises.models import Enterprise

    enterprise = Enterprise.objects.get(enterprise_number=DEMO_ENTERPRISE_NUMBER)
    have = Membership.objects.filter(enterprise=enterprise, role=Role.REPRESENTATIVE,
                                     is_active=True).exclude(user__email="").count() + 1
    for number in range(count - have):
        # No password: hashing twenty of them would be most of the test's setup.
        user = User.objects.create(username=f"vertegenwoordiger-{number}",
                                   email=f"vertegenwoordiger-{number}@werkplek.example")
        Membership.objects.create(user=user, role=Role.REPRESENTATIVE, enterprise=enterprise)


@postgresql_only
def test_a_worker_killed_mid_batch_loses_no_email_and_sends_none_twice(
        committed_data, slow_smtp, start_worker, record_property, capsys):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from werkplek.applications.models import ApplicationEvent
    from werkplek.notices.models import Delivery, DeliveryAttempt
    from werkplek.notices.tasks import INTERRUPTED, message_id

    _recipients(RECIPIENTS)
    application = decided_application("refuse")
    # Only the decision letter's e-mails in this batch: not the receipt of the submission.
    DBTaskResult.objects.filter(task_path="werkplek.applications.tasks.send_receipt").delete()
    letter = issue(application)  # commits: the worker renders it and sends it to each

    first = start_worker("worker-1")
    assert slow_smtp.busy.wait(timeout=TIMEOUT), "the batch never reached the kill point"
    first.send_signal(signal.SIGKILL)  # mid-batch, mid-SMTP-conversation
    first.wait(timeout=10)
    assert first.returncode == -signal.SIGKILL

    deliveries = letter.deliveries.all()
    assert deliveries.count() == RECIPIENTS
    sent_before = deliveries.filter(state=Delivery.State.SENT).count()
    (interrupted,) = deliveries.filter(state=Delivery.State.PENDING,
                                       sending_since__isnull=False)
    assert sent_before == KILL_AT - 1 == len(slow_smtp.messages)

    start_worker("worker-2")

    def all_sent() -> bool:
        # What cron does every few minutes: give the work of the dead worker a new task.
        call_command("notices_resume", verbosity=0)
        return not deliveries.exclude(state=Delivery.State.SENT).exists()

    _poll(all_sent, what="every delivery to be sent")
    # Let any task still running finish, then look at what arrived.
    _poll(lambda: not DBTaskResult.objects.filter(status="READY").exists(),
          what="the queue to be empty")
    time.sleep(SMTP_DELAY * 2)

    ids = Counter(received["message"]["Message-ID"] for received in slow_smtp.messages)
    addresses = Counter(received["to"][0] for received in slow_smtp.messages)
    duplicates = sum(n - 1 for n in ids.values())
    expected = {message_id(d): d.email for d in deliveries}
    assert len(slow_smtp.messages) == RECIPIENTS
    assert duplicates == 0
    assert set(ids) == set(expected)  # each delivery's own Message-ID, once
    assert set(addresses) == set(expected.values()) and set(addresses.values()) == {1}
    assert all(d.attempts in (1, 2) and d.sent_at for d in deliveries)
    interrupted.refresh_from_db()
    log = list(interrupted.attempt_log.values_list("outcome", "error"))
    assert log == [(DeliveryAttempt.Outcome.FAILED, INTERRUPTED),
                   (DeliveryAttempt.Outcome.SENT, "")]
    assert DeliveryAttempt.objects.filter(delivery__letter=letter,
                                          outcome=DeliveryAttempt.Outcome.SENT
                                          ).count() == RECIPIENTS
    assert application.events.filter(kind=ApplicationEvent.Kind.LETTER_SENT).count() \
        == RECIPIENTS

    figures = {"queued": RECIPIENTS, "sent_before_kill": sent_before,
               "sent_after_restart": RECIPIENTS - sent_before,
               "received": len(slow_smtp.messages), "duplicates": duplicates, "lost": 0}
    for name, value in figures.items():
        record_property(name, value)
    with capsys.disabled():
        print(f"\ncrash test: {figures}")


def test_a_copy_sent_again_after_an_unrecorded_accept_has_the_same_message_id(
        db, approved, prepared, smtp_server, settings, monkeypatch):
    """The window SMTP leaves open: the server accepted the e-mail and the worker died before
    recording it. The delivery is sent again after the stale claim is taken over, as the same
    message (the same Message-ID): the guarantee that remains is at least once, never lost, and
    a copy is recognisable as one."""
    from werkplek.notices import tasks
    from werkplek.notices.models import Delivery, DeliveryAttempt

    settings.NOTICES_STALE_CLAIM = timedelta(seconds=STALE_CLAIM)
    delivery = prepared(approved).deliveries.order_by("pk").first()
    recorded = tasks._record

    def die_before_recording(delivery_id, *, error, retry):
        if error is None:
            raise SystemExit("the worker dies right after the mail server's 250")
        return recorded(delivery_id, error=error, retry=retry)

    with monkeypatch.context() as patch:
        patch.setattr(tasks, "_record", die_before_recording)
        with pytest.raises(SystemExit):
            tasks.deliver(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.PENDING and delivery.sending_since
    assert len(smtp_server.messages) == 1

    # Not yet: a claim younger than the stale claim may belong to a worker still sending.
    assert tasks.deliver(delivery.pk) == "nothing to send"
    Delivery.objects.filter(pk=delivery.pk).update(
        sending_since=timezone.now() - timedelta(seconds=STALE_CLAIM + 1))
    assert tasks.resume_deliveries()["stale"] == 1
    assert tasks.deliver(delivery.pk) == "sent"

    first, second = (m["message"]["Message-ID"] for m in smtp_server.messages)
    assert first == second == tasks.message_id(delivery)
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SENT and delivery.attempts == 2
    assert list(delivery.attempt_log.values_list("outcome", flat=True)) == [
        DeliveryAttempt.Outcome.FAILED, DeliveryAttempt.Outcome.SENT]
