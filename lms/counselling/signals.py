"""Events of the counsellor cockpit, for the apps beside it (notifications)."""

from django.dispatch import Signal

# Sent INSIDE the transaction that stores a new plan (see lms.learning.signals), so a
# receiver's writes commit with it. Arguments: plan (LearnerPlan).
plan_created = Signal()
