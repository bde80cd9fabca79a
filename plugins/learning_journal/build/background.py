"""Forked copies of the build that work on the other cores while the build goes on.

Reading uses every core (parallel_read.py); after it, Pelican writes pages in one process and
the other cores sit idle. Work that needs only what is in memory by then and gives bytes back
(the series e-books) is handed to a forked process as a list of tasks, and its results are
taken when they are needed. A task that failed there, or every task if the process died, is
done again in the build's own process, so that errors are reported exactly as in a
one-process build. Fork only: on Linux, and when JOURNAL_READ_PROCESSES is not 1.
"""

import logging
import multiprocessing
import os
import pickle
import sys
import warnings

from ..build_state import build_state


def start_background_work(pelican) -> None:
    """get_writer: writing begins; start what was planned for the other cores."""
    state = build_state(pelican.settings)
    for start in state.when_writing:
        start()
    state.when_writing.clear()


def process_count(settings) -> int:
    """JOURNAL_READ_PROCESSES, else the number of cores (at most 4); 1 builds in one process."""
    wanted = settings.get("JOURNAL_READ_PROCESSES")
    if wanted is None:
        wanted = min(os.cpu_count() or 1, 4)
    return max(1, int(wanted))


def can_fork(settings) -> bool:
    # fork is missing on Windows and unsafe on macOS.
    return sys.platform.startswith("linux") and process_count(settings) > 1


def fork_process(target, args) -> multiprocessing.Process:
    """A started forked process running target(*args): nothing is pickled on the way in."""
    sys.stdout.flush()
    sys.stderr.flush()
    process = multiprocessing.get_context("fork").Process(target=target, args=args, daemon=True)
    with warnings.catch_warnings():
        # Python 3.12+ warns about fork with threads running (Pelican's console spinner); the
        # child uses no lock those threads hold: no stdio, no logging, no console (quiet_child).
        warnings.simplefilter("ignore", DeprecationWarning)
        process.start()
    return process


def quiet_child() -> None:
    """In a forked process: print nothing and log nothing (the build reports what it sends back),
    and never wait for a stdio lock another thread of the parent held at fork time."""
    logging.getLogger().handlers = []
    logging.lastResort = None
    logging.raiseExceptions = False
    warnings.simplefilter("ignore")
    sys.stdout = sys.stderr = open(os.devnull, "w")


class BackgroundTasks:
    """function(task) for each task, in one forked process; results() waits for them."""

    def __init__(self, function, tasks: list):
        self.count = len(tasks)
        self.received = None
        self.receiving, sending = multiprocessing.get_context("fork").Pipe(duplex=False)
        self.process = fork_process(run_tasks, (function, tasks, sending))
        sending.close()

    def results(self) -> list:
        """One entry per task: ("ok", result), or None where the build must do the task itself."""
        if self.received is None:
            try:
                self.received = pickle.loads(self.receiving.recv_bytes())
            except (EOFError, OSError, pickle.UnpicklingError):  # the process died: all is done here
                self.received = [None] * self.count
            self.receiving.close()
            self.process.join(timeout=5)
            if self.process.is_alive():
                self.process.kill()
                self.process.join()
        return self.received


def run_tasks(function, tasks: list, connection) -> None:
    quiet_child()
    # Below the build's own process: it writes the pages meanwhile, and waits for these results
    # only after that.
    os.nice(5)
    results = []
    for task in tasks:
        try:
            results.append(("ok", function(task)))
        except BaseException:  # noqa: BLE001 - the build does this task again and reports its error
            results.append(None)
    connection.send_bytes(pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL))
    connection.close()
