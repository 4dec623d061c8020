/* status.c -- see status.h. */
#include "status.h"

#include <stdio.h>
#include <string.h>

static const char *all_statuses[] = { "Assigned", "Ship-To Received", "Parts Ordered", "Shipping", "Shipped",
	"Parts Delivered", "In Progress", "On Hold", "Completed", "Closed", "Cannot Complete", "Rejected", "Cancelled" };

struct rule {
	const char *label;
	int role;
	const char *from[8];   /* NULL-terminated; "*open" means any open status */
	const char *to;        /* NULL: computed */
};

static const struct rule rules[SA__COUNT] = {
	[SA_ACCEPT] = { "Accept", SR_PARTNER, { "Assigned" }, NULL },
	[SA_REJECT] = { "Reject", SR_PARTNER, { "Assigned" }, "Rejected" },
	[SA_COULD_NOT] = { "Could Not Complete", SR_PARTNER, { "*open" }, "Cannot Complete" },
	[SA_COMPLETE] = { "Completed", SR_PARTNER, { "In Progress" }, "Completed" },
	[SA_PARTS_ORDERED] = { "Parts Ordered", SR_OPERATOR, { "Ship-To Received" }, "Parts Ordered" },
	[SA_SHIPPING] = { "Shipping", SR_OPERATOR, { "Ship-To Received", "Parts Ordered" }, "Shipping" },
	[SA_SHIPPED] = { "Shipped", SR_OPERATOR, { "Ship-To Received", "Parts Ordered", "Shipping" }, "Shipped" },
	[SA_DELIVERED] = { "Parts Delivered", SR_OPERATOR, { "Shipping", "Shipped", "Parts Delivered" }, "In Progress" },
	[SA_HOLD] = { "On Hold", SR_OPERATOR, { "*open" }, "On Hold" },
	[SA_RESUME] = { "Resume", SR_OPERATOR, { "On Hold" }, NULL },
	[SA_CANCEL] = { "Cancel", SR_OPERATOR, { "*open" }, "Cancelled" },
	[SA_CLOSE] = { "Close", SR_OPERATOR, { "Completed" }, "Closed" },
	[SA_SEND_BACK] = { "Send Back", SR_OPERATOR, { "Completed" }, "In Progress" },
	[SA_REISSUE] = { "Reissue", SR_OPERATOR, { "Cannot Complete" }, NULL },
};

const char *
status_action_label(int action)
{
	return action >= 0 && action < SA__COUNT ? rules[action].label : "?";
}

const char *
status_name(size_t i)
{
	return i < sizeof(all_statuses) / sizeof(all_statuses[0]) ? all_statuses[i] : NULL;
}

int
status_valid(const char *s)
{
	for (size_t i = 0; i < sizeof(all_statuses) / sizeof(all_statuses[0]); i++)
		if (!strcmp(all_statuses[i], s))
			return 1;
	return 0;
}

int
status_is_open(const char *s)
{
	return status_valid(s) && strcmp(s, "Completed") && strcmp(s, "Closed") && strcmp(s, "Cannot Complete") &&
	    strcmp(s, "Rejected") && strcmp(s, "Cancelled");
}

int
status_class(const char *s)
{
	if (status_is_open(s))
		return 0;
	return !strcmp(s, "Completed") || !strcmp(s, "Closed") ? 1 : 2;
}

int
status_check(int action, int role, const char *from, int parts, const char *hold_from,
    const char **to, char *err, size_t errlen)
{
	if (action < 0 || action >= SA__COUNT) {
		snprintf(err, errlen, "Unknown action.");
		return -1;
	}
	const struct rule *r = &rules[action];
	if (r->role != role) {
		if (r->role == SR_OPERATOR)
			snprintf(err, errlen, "Only the operator can take the action \"%s\"; ask through Request For"
			    " Assistance or the Collaborate tab.", r->label);
		else
			snprintf(err, errlen, "\"%s\" is the partner's action.", r->label);
		return -1;
	}
	int ok = 0;
	for (int i = 0; i < 8 && r->from[i]; i++) {
		if (!strcmp(r->from[i], "*open") ? status_is_open(from) && !(action == SA_HOLD && !strcmp(from, "On Hold"))
		    : !strcmp(r->from[i], from))
			ok = 1;
	}
	if (!ok) {
		snprintf(err, errlen, "A work order in status %s cannot take the action \"%s\".", from, r->label);
		return -1;
	}
	if (action == SA_ACCEPT)
		*to = parts ? "Ship-To Received" : "In Progress";
	else if (action == SA_RESUME)
		*to = hold_from && status_is_open(hold_from) && strcmp(hold_from, "On Hold") ? hold_from : "In Progress";
	else if (action == SA_REISSUE)
		*to = from;
	else
		*to = r->to;
	return 0;
}
