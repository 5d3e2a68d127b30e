from tests.security.appendonly import audit_unlocked

__all__ = ["audit_unlocked"]
