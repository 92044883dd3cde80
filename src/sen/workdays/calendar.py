"""Working-time arithmetic on the Vietnamese calendar (pure functions, no database)."""

from decimal import Decimal

# A working day of a public office is 8 working hours (Bộ luật Lao động 2019, Art. 105);
# legal processing times in days are converted to working time with this.
STANDARD_DAY_HOURS = Decimal(8)
