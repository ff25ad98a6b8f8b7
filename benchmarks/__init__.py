"""Performance benchmarks (issue 8): `python -m benchmarks` or `./benchmarks/run`.

Not part of the test suite (pytest collects ``tests/`` only). Every request goes to a
sandbox on 127.0.0.1 that the run starts and stops itself.
"""
