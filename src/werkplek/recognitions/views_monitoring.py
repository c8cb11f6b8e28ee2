"""SCAFFOLD: being written (replace every function)."""

from django.http import Http404


def record_finding(request, *args, **kwargs):
    raise Http404


def open_support_action(request, *args, **kwargs):
    raise Http404


def follow_up(request, *args, **kwargs):
    raise Http404


def impose_sanction(request, *args, **kwargs):
    raise Http404
