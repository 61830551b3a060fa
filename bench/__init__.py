"""The benchmark harness: `make bench` (bench/run.py) and `make bench-cluster`
(bench/cluster.py). Nothing in the blog imports it."""
