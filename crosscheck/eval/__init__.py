"""Evaluation on public benchmarks: loaders, metrics and runners."""
