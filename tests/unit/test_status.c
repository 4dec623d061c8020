/* Unit tests of the status machine (status.c): every action, by every
 * role, from every status, against the table of DESIGN.md written out
 * independently here. */
#include "unit.h"
#include "status.h"

static const char *statuses[] = { "Assigned", "Ship-To Received", "Parts Ordered", "Shipping", "Shipped",
	"Parts Delivered", "In Progress", "On Hold", "Completed", "Closed", "Cannot Complete", "Rejected", "Cancelled" };
#define NST (sizeof(statuses) / sizeof(statuses[0]))
#define OPEN "Assigned|Ship-To Received|Parts Ordered|Shipping|Shipped|Parts Delivered|In Progress|On Hold|"

/* action, role, the statuses it is allowed from ("|"-separated), result */
static const struct { int action, role; const char *from, *to; } spec[] = {
	{ SA_ACCEPT, SR_PARTNER, "Assigned|", "*" },
	{ SA_REJECT, SR_PARTNER, "Assigned|", "Rejected" },
	{ SA_COULD_NOT, SR_PARTNER, OPEN, "Cannot Complete" },
	{ SA_COMPLETE, SR_PARTNER, "In Progress|", "Completed" },
	{ SA_PARTS_ORDERED, SR_OPERATOR, "Ship-To Received|", "Parts Ordered" },
	{ SA_SHIPPING, SR_OPERATOR, "Ship-To Received|Parts Ordered|", "Shipping" },
	{ SA_SHIPPED, SR_OPERATOR, "Ship-To Received|Parts Ordered|Shipping|", "Shipped" },
	{ SA_DELIVERED, SR_OPERATOR, "Shipping|Shipped|Parts Delivered|", "In Progress" },
	{ SA_HOLD, SR_OPERATOR, "Assigned|Ship-To Received|Parts Ordered|Shipping|Shipped|Parts Delivered|In Progress|", "On Hold" },
	{ SA_RESUME, SR_OPERATOR, "On Hold|", "*" },
	{ SA_CANCEL, SR_OPERATOR, OPEN, "Cancelled" },
	{ SA_CLOSE, SR_OPERATOR, "Completed|", "Closed" },
	{ SA_SEND_BACK, SR_OPERATOR, "Completed|", "In Progress" },
	{ SA_REISSUE, SR_OPERATOR, "Cannot Complete|", "*" },
};

static int
listed(const char *list, const char *s)
{
	char needle[64];
	snprintf(needle, sizeof(needle), "|%s|", s);
	char hay[512];
	snprintf(hay, sizeof(hay), "|%s", list);
	return strstr(hay, needle) != NULL;
}

static void
test_every_transition_per_role(void **state)
{
	assert_int_equal(sizeof(spec) / sizeof(spec[0]), SA__COUNT);
	int allowed = 0, refused = 0;
	for (size_t a = 0; a < SA__COUNT; a++) {
		for (int role = SR_PARTNER; role <= SR_OPERATOR; role++) {
			for (size_t i = 0; i < NST; i++) {
				const char *to = NULL;
				char err[256] = "";
				int rc = status_check(spec[a].action, role, statuses[i], 1, "Shipped", &to, err, sizeof(err));
				int want = role == spec[a].role && listed(spec[a].from, statuses[i]);
				if (want) {
					assert_int_equal(rc, 0);
					if (strcmp(spec[a].to, "*") != 0)
						assert_string_equal(to, spec[a].to);
					allowed++;
				} else {
					assert_int_equal(rc, -1);
					assert_true(strlen(err) > 10);   /* a refusal says why */
					refused++;
				}
			}
		}
	}
	assert_int_equal(allowed + refused, SA__COUNT * 2 * NST);
}

static void
test_computed_targets(void **state)
{
	const char *to;
	char err[256];
	assert_int_equal(status_check(SA_ACCEPT, SR_PARTNER, "Assigned", 1, NULL, &to, err, sizeof(err)), 0);
	assert_string_equal(to, "Ship-To Received");
	assert_int_equal(status_check(SA_ACCEPT, SR_PARTNER, "Assigned", 0, NULL, &to, err, sizeof(err)), 0);
	assert_string_equal(to, "In Progress");
	assert_int_equal(status_check(SA_RESUME, SR_OPERATOR, "On Hold", 0, "Shipped", &to, err, sizeof(err)), 0);
	assert_string_equal(to, "Shipped");
	assert_int_equal(status_check(SA_RESUME, SR_OPERATOR, "On Hold", 0, "", &to, err, sizeof(err)), 0);
	assert_string_equal(to, "In Progress");
	assert_int_equal(status_check(SA_REISSUE, SR_OPERATOR, "Cannot Complete", 0, NULL, &to, err, sizeof(err)), 0);
	assert_string_equal(to, "Cannot Complete");
}

static void
test_refusals_explain_themselves(void **state)
{
	const char *to;
	char err[256];
	assert_int_equal(status_check(SA_HOLD, SR_PARTNER, "In Progress", 0, NULL, &to, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "Only the operator"));
	assert_int_equal(status_check(SA_COMPLETE, SR_PARTNER, "Shipped", 0, NULL, &to, err, sizeof(err)), -1);
	assert_string_equal(err, "A work order in status Shipped cannot take the action \"Completed\".");
	assert_int_equal(status_check(SA_ACCEPT, SR_OPERATOR, "Assigned", 0, NULL, &to, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "partner's action"));
	assert_true(status_is_open("On Hold"));
	assert_false(status_is_open("Closed"));
	assert_false(status_is_open("Nonsense"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_transition_per_role),
		cmocka_unit_test(test_computed_targets),
		cmocka_unit_test(test_refusals_explain_themselves),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
