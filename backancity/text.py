"""Stored text is normalised: Unicode NFC (a decomposed "ệ" typed on some keyboards or
pasted from Word becomes the same code points as a composed one, so search, sorting and
uniqueness agree), no NUL or other control characters (PostgreSQL refuses NUL outright),
and Windows line endings made plain.

Connected as a pre_save receiver for every model of the project (see
`portal.apps.PortalConfig.ready`), so forms, the admin and imports all store the same
text. `bulk_create()` / `update()` skip signals: code using them calls `normalise_text`.
"""

import re
import unicodedata

from django.db import models

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalise_text(value):
    if not isinstance(value, str):
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL.sub("", value)
    return unicodedata.normalize("NFC", value)


def normalise_instance_text(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: fixtures are stored as they are
        return
    for field in instance._meta.concrete_fields:
        if isinstance(field, (models.CharField, models.TextField)):
            value = getattr(instance, field.attname)
            if isinstance(value, str):
                setattr(instance, field.attname, normalise_text(value))
