"""The browser tests' server: production settings (config.settings, DEBUG off), with Django's
advice for tests on passwords: a fast hasher, so that the cast's nine passwords and every sign-in
cost microseconds instead of half a second each. Nothing else differs."""

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
