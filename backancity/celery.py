import functools
import logging
import os

from celery import Celery
from celery.contrib.django.task import DjangoTask
from celery.signals import beat_init, worker_init
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from .env import require_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backancity.settings")

logger = logging.getLogger("backancity.tasks")


def publish_after_commit(task, args, kwargs, options) -> bool:
    """Hand a task to the broker; a broker that is down is logged, not raised. Called once
    the request's transaction has committed: the user's data is saved by then, and a
    failure here must not turn their request into an error page. Work that must not be
    lost is recorded in the database before it is queued (a ReviewJob, say), and a
    periodic sweep publishes whatever is still waiting. Returns whether it was published."""
    if task.app.conf.task_always_eager:
        # No broker: the task runs here and now, and its errors are its own.
        task.apply_async(args=args, kwargs=kwargs, **options)
        return True
    try:
        task.apply_async(args=args, kwargs=kwargs, **options)
    except Exception:
        logger.exception("could not publish task %s%r: broker unavailable, left for the sweep", task.name, tuple(args))
        return False
    return True


class PortalTask(DjangoTask):
    """The base of every task of the portal: `delay_on_commit` / `apply_async_on_commit`
    publish once the transaction has committed, and never fail the request that queued
    them when the broker is unreachable."""

    def delay_on_commit(self, *args, **kwargs) -> None:
        transaction.on_commit(functools.partial(publish_after_commit, self, args, kwargs, {}))

    def apply_async_on_commit(self, args=None, kwargs=None, **options) -> None:
        transaction.on_commit(functools.partial(publish_after_commit, self, args or (), kwargs or {}, options))


@worker_init.connect
@beat_init.connect
def _refuse_to_start_without_a_secret_key(**kwargs) -> None:
    try:
        require_secret_key()
    except ImproperlyConfigured as exc:
        # Celery logs an ordinary exception from a signal handler and starts anyway.
        raise SystemExit(str(exc)) from None


app = Celery("backancity", task_cls=PortalTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
