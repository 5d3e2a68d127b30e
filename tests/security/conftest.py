from tests.security.appendonly import pytest_runtest_teardown

__all__ = ["pytest_runtest_teardown"]
