from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def validate_iin(value: str) -> None:
    """Kazakhstan's IIN: 12 digits, the 12th a check digit (two weighted passes, mod 11)."""
    if not (isinstance(value, str) and len(value) == 12 and value.isdigit()):
        raise ValidationError(_("The IIN must be exactly 12 digits."), code="iin_format")
    digits = [int(c) for c in value]
    check = sum(d * w for d, w in zip(digits[:11], range(1, 12), strict=True)) % 11
    if check == 10:
        weights = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]
        check = sum(d * w for d, w in zip(digits[:11], weights, strict=True)) % 11
    if check == 10 or check != digits[11]:
        raise ValidationError(_("The IIN's check digit is wrong: check the number."), code="iin_checksum")


def iin_with_check_digit(first_eleven: str) -> str | None:
    """Completes 11 digits into a valid IIN, or None when no check digit exists (demo data, tests)."""
    for last in "0123456789":
        try:
            validate_iin(first_eleven + last)
        except ValidationError:
            continue
        return first_eleven + last
    return None
