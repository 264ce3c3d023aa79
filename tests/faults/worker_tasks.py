"""A task for the worker-fault test: it notes when it starts and, a while later, its one effect."""

import os
import time

from django_tasks import task


@task()
def slow_note(path, seconds):
    """Append "start <pid>", wait `seconds`, then append the effect, "done <pid>"."""
    with open(path, "a") as notes:
        notes.write(f"start {os.getpid()}\n")
    time.sleep(seconds)
    with open(path, "a") as notes:
        notes.write(f"done {os.getpid()}\n")
    return os.getpid()
