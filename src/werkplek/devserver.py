"""`make run`: the development web server and the task worker side by side.

Both run as child processes; Ctrl-C (or SIGTERM) stops both, and if either dies the other is
stopped too, so the terminal never keeps half a system running.
"""

import os
import signal
import subprocess
import sys
import time


def main() -> int:
    port = os.environ.get("PORT", "8000")
    python = sys.executable
    web = subprocess.Popen(  # noqa: S603
        [python, "-m", "django", "runserver", f"127.0.0.1:{port}"]
    )
    worker = subprocess.Popen(  # noqa: S603
        [python, "-m", "django", "db_worker", "--interval", "1"]
    )
    children = [web, worker]
    print(f"Werkplek runs on http://127.0.0.1:{port} with its task worker. Ctrl-C stops both.",
          flush=True)

    def stop(*_args) -> None:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()

    signal.signal(signal.SIGTERM, lambda *a: (stop(), sys.exit(0)))
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
