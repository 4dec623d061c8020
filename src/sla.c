/* sla.c -- see sla.h. */
#include "sla.h"

int
sla_weekday(int64_t day)
{
	/* 1970-01-01 was a Thursday */
	int64_t w = (day + 4) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

int64_t
sla_add_business_days(int64_t day, int n)
{
	while (sla_weekday(day) == 0 || sla_weekday(day) == 6)
		day++;
	while (n > 0) {
		day++;
		if (sla_weekday(day) != 0 && sla_weekday(day) != 6)
			n--;
	}
	return day;
}
