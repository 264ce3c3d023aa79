"""The security policy as data: the one place to read or change it (docs/security.md).

Settings (portal/settings/base.py) and the code read these; nothing repeats the values."""

from datetime import timedelta

# Login lockout (django-axes), per login name (the staff username or the resident's phone
# number), for the admin, the resident web login and POST /api/v1/auth/token alike: this many
# failures lock the name until LOGIN_COOL_OFF has passed since the last failure; a failure
# during the lockout starts the cool-off again. A successful login or a password reset clears
# the count.
LOGIN_FAILURE_LIMIT = 5
LOGIN_COOL_OFF = timedelta(minutes=15)

# Passwords (residents and staff alike): at least this long, and drawn from at least this many
# of the character classes: lower-case letters, upper-case letters, digits, other characters.
PASSWORD_MIN_LENGTH = 8
PASSWORD_MIN_CHARACTER_CLASSES = 3

# A session unused this long ends (the user logs in again). Activity extends it; to spare a
# database write per request the extension is written at most once per resolution.
SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
SESSION_ACTIVITY_RESOLUTION = timedelta(minutes=1)

# Two-factor login (TOTP, django-otp): codes one step (30 s) either side of the server's clock
# are accepted, for phones whose clock is a little off.
TOTP_TOLERANCE_STEPS = 1
