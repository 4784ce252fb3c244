# Vietnamese formats as officials write them: 4.086 ; 58,37 ; 07/03/2025.
# Django's own `vi` module has no thousands grouping and no input formats, so a typed
# "07/03/2025" would be read as 3 July. Years and codes must use |unlocalize in templates.
DATE_FORMAT = "d/m/Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "H:i d/m/Y"
YEAR_MONTH_FORMAT = r"\t\há\n\g n/Y"
MONTH_DAY_FORMAT = "d/m"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%d/%m/%Y",  # 07/03/2025
    "%d/%m/%y",  # 07/03/25
    "%d-%m-%Y",  # 07-03-2025
    "%d.%m.%Y",  # 07.03.2025
    "%Y-%m-%d",  # ISO, as browsers' date inputs send it
]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
