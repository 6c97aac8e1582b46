"""Events of certificates, for the apps beside them (interoperability, notifications)."""

from django.dispatch import Signal

# Sent INSIDE the transaction that stores a new certificate (see lms.learning.signals), so a
# receiver's writes commit with it. Arguments: certificate (Certificate).
certificate_issued = Signal()
