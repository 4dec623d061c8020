/* status.h -- the work order status machine of DESIGN.md: which action
 * moves which status where, and who may take it.  Pure rules, no storage:
 * the lifecycle module applies them. */
#ifndef FW_STATUS_H
#define FW_STATUS_H

#include <stddef.h>

enum st_action {
	SA_ACCEPT,          /* partner: Assigned -> Ship-To Received | In Progress */
	SA_REJECT,          /* partner: Assigned -> Rejected */
	SA_COULD_NOT,       /* partner: any open -> Cannot Complete */
	SA_COMPLETE,        /* partner: In Progress -> Completed */
	SA_PARTS_ORDERED,   /* operator: Ship-To Received -> Parts Ordered */
	SA_SHIPPING,        /* operator: Ship-To Received | Parts Ordered -> Shipping */
	SA_SHIPPED,         /* operator: Ship-To Received .. Shipping -> Shipped */
	SA_DELIVERED,       /* operator: Shipping | Shipped | Parts Delivered -> In Progress */
	SA_HOLD,            /* operator: any open but On Hold -> On Hold */
	SA_RESUME,          /* operator: On Hold -> the status it left */
	SA_CANCEL,          /* operator: any open -> Cancelled */
	SA_CLOSE,           /* operator: Completed -> Closed */
	SA_SEND_BACK,       /* operator: Completed -> In Progress */
	SA_REISSUE,         /* operator: Cannot Complete -> (a new work order) */
	SA__COUNT
};

enum st_role { SR_PARTNER, SR_OPERATOR };

/* The action's name as the portal shows it ("Accept", "Could Not
 * Complete"...).  This function can't fail. */
const char *status_action_label(int action);
/* 1 when STATUS is open (not Completed, Closed, Cannot Complete, Rejected,
 * Cancelled).  This function can't fail. */
int status_is_open(const char *status);
/* STATUS's class as the work order's state_class keeps it (migration
 * 025): 0 open, 1 Completed or Closed, 2 ended otherwise (Rejected,
 * Cancelled, Cannot Complete).  This function can't fail. */
int status_class(const char *status);
/* The Ith of the thirteen statuses in lifecycle order, NULL past the
 * last.  This function can't fail. */
const char *status_name(size_t i);
/* 1 when STATUS is one of the thirteen statuses. */
int status_valid(const char *status);

/* Checks ACTION by ROLE on a work order in status FROM.  On success returns
 * 0 and sets *TO to the new status (for SA_ACCEPT it depends on PARTS, for
 * SA_RESUME it is HOLD_FROM, for SA_REISSUE it is FROM: the order itself
 * does not change).  Otherwise returns -1 with a message saying why in ERR. */
int status_check(int action, int role, const char *from, int parts, const char *hold_from,
    const char **to, char *err, size_t errlen);

#endif
