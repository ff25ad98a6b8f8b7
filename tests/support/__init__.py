"""Helpers shared by test suites (e.g. a sandbox on a free loopback port)."""
