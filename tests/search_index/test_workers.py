"""The reindex's worker processes end when their pool stops them, whatever the parent does
with SIGTERM (an RQ jobs worker that ran in the same process catches it and keeps going)."""

from __future__ import annotations

import multiprocessing
import signal

from ckanext.smartregion.search_index import rebuild


def _ends_on_sigterm() -> bool:
    return signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_a_worker_ends_on_sigterm_though_its_parent_catches_it():
    caught = signal.signal(signal.SIGTERM, lambda *args: None)  # as RQ's warm shut-down does
    try:
        pool = multiprocessing.get_context("fork").Pool(1, initializer=rebuild._worker_started)
        try:
            ends = pool.apply(_ends_on_sigterm)
        finally:
            pool.close()
            pool.join()
    finally:
        signal.signal(signal.SIGTERM, caught)
    assert ends
