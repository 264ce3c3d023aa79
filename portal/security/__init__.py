"""Login and browser hardening: CSP, login lockout (django-axes), the password policy, the idle
session timeout and the admin's two-factor login (django-otp). Policy values: rules.py;
how they fit together: docs/security.md."""
