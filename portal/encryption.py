"""Personal data encrypted at rest.

Values are encrypted with Fernet (`cryptography`: AES-128-CBC with an HMAC-SHA256 tag and a
random IV, so equal values never look equal in the database). Lookups and uniqueness use a
keyed hash beside the value (HMAC-SHA256 under its own key): without the key it cannot be
reversed by trying every possible ID number, as a plain hash could.

Keys come from settings (portal/settings/base.py, from the environment in production):
PERSONAL_DATA_ENCRYPTION_KEYS, newest first (the older ones still decrypt, for rotation), and
PERSONAL_DATA_HASH_KEY, which must never change while hashes made with it are stored.
"""

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@lru_cache(maxsize=4)
def _fernet(keys):
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(
            "PERSONAL_DATA_ENCRYPTION_KEYS 中的密钥格式不正确（应为 Fernet.generate_key() 生成的 "
            "44 位 URL 安全 Base64 字符串）。"
        ) from error


def fernet():
    keys = tuple(settings.PERSONAL_DATA_ENCRYPTION_KEYS)
    if not keys:
        raise ImproperlyConfigured("未设置 PERSONAL_DATA_ENCRYPTION_KEYS（个人信息加密密钥）。")
    return _fernet(keys)


def encrypt(text):
    return fernet().encrypt(text.encode()).decode("ascii")


def decrypt(token):
    try:
        return fernet().decrypt(token.encode("ascii")).decode()
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "个人信息无法解密：PERSONAL_DATA_ENCRYPTION_KEYS 中没有加密它时所用的密钥。"
        ) from error


def keyed_hash(text):
    key = settings.PERSONAL_DATA_HASH_KEY
    if not key:
        raise ImproperlyConfigured("未设置 PERSONAL_DATA_HASH_KEY（个人信息检索密钥）。")
    return hmac.new(key.encode(), text.encode(), hashlib.sha256).hexdigest()


def token_length(plain_chars):
    """Characters of the Fernet token of `plain_chars` characters (UTF-8, at worst 4 bytes
    each): version, time and IV (25 bytes), padded AES blocks, the 32-byte tag, in Base64."""
    blocks = (plain_chars * 4) // 16 + 1
    return -(-(25 + 16 * blocks + 32) // 3) * 4


class EncryptedCharField(models.CharField):
    """A CharField whose column holds the Fernet token: Python code reads and writes the plain
    text, `max_length` limits the plain text. Empty values are stored empty (nothing to hide).

    Only `isnull` lookups work: a value encrypts differently each time, so equality goes
    through a KeyedHashField. Anything else is refused rather than silently matching nothing.
    QuerySet.update() encrypts too but does not refresh the hash: change values through save().
    """

    def db_type(self, connection):
        column = connection.data_types["CharField"]
        data = {"max_length": token_length(self.max_length)}
        return column(data) if callable(column) else column % data

    def get_lookup(self, lookup_name):
        return super().get_lookup(lookup_name) if lookup_name == "isnull" else None

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value


class KeyedHashField(models.CharField):
    """The keyed hash of another field of the model (`source`), set on every save; "" when
    that field is empty. Look a value up with `field=keyed_hash(value)`."""

    def __init__(self, *args, source, **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def hash_of(self, instance):
        value = getattr(instance, self.source)
        return keyed_hash(value) if value else ""

    def pre_save(self, model_instance, add):
        value = self.hash_of(model_instance)
        setattr(model_instance, self.attname, value)
        return value
