from django.apps import AppConfig


class BenchDataConfig(AppConfig):
    """Data at the Dutch scale for the load benchmarks (`make bench-data`): no models, no UI."""

    name = "werkplek.benchdata"
    label = "benchdata"
    verbose_name = "Benchmark data"
