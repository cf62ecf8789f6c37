# English as read in Kazakhstan: day before month, 24-hour clock. Django's own English formats are American
# ("12/07/2026 2:52 a.m." for 7 December), which a reader here takes for 12 July.
# The input formats stay Django's (ISO first), so forms and date pickers parse as before.
DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1
