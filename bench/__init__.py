"""Benchmarks for Khabuan: each compared with a baseline measured in the same run (`make bench`)."""
