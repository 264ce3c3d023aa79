"""The training plan's rules as data: the one place to read or change them.

What the hub changes at run time (the cap on concurrent courses) is a Wagtail setting
(training.models.TrainingSettings); what changes with a release is here."""

from datetime import timedelta

# A verification code: its length, lifetime, wrong tries allowed, and the pause between sends.
CODE_DIGITS = 6
CODE_LIFETIME = timedelta(minutes=10)
CODE_MAX_ATTEMPTS = 5
CODE_RESEND_AFTER = timedelta(seconds=60)

# Login lockout per phone number: django-axes, with the limits in portal/security/rules.py.

# Initial passwords handed over at the front desk: no 0/o, 1/l/i to misread from a slip of paper.
# Initial passwords take at least one character of each class (the password policy asks for
# three classes); easily confused characters (l, 1, O, 0, I) are left out.
INITIAL_PASSWORD_CLASSES = ("abcdefghjkmnpqrstuvwxyz", "ABCDEFGHJKMNPQRSTUVWXYZ", "23456789")
INITIAL_PASSWORD_LENGTH = 8

# Bearer tokens for apps and the WeChat mini-program (Wagtail's APIToken; expired this long after
# it was created).
TOKEN_LIFETIME = timedelta(days=30)

# Default for TrainingSettings.max_active_courses (enrolled or waitlisted at once).
DEFAULT_MAX_ACTIVE_COURSES = 3

# Ratings: stars from 1 to 5, given after the course has ended.
RATING_MIN, RATING_MAX = 1, 5

# Time of day of a session, by its start (the menu's 上午/下午/晚上 filter): [from, to) hours.
TIME_OF_DAY = {"morning": (0, 12), "afternoon": (12, 18), "evening": (18, 24)}

# Attendance by QR code: a resident's code is valid this long after their page drew it (a
# screenshot passed on stops working), and a session takes check-ins from this long before it
# starts until it ends.
QR_TOKEN_LIFETIME = timedelta(hours=12)
CHECK_IN_EARLY = timedelta(minutes=30)
