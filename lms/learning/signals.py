"""Domain events of the learner journey that other engines subscribe to."""

from django.dispatch import Signal

# Sent once, after the transaction commits, when an enrolment becomes completed.
# Arguments: enrolment (Enrolment). Certificates and the recommender listen.
course_completed = Signal()
