/* handlers.h -- every page handler, by the file that holds it: one file
 * per chapter of the Partner Connect User Guide or screen of the portal.
 * app.c's route table says which address reaches which.  Each fills the
 * view-model of a struct ctx and returns the HTTP status (page.h). */
#ifndef FW_HANDLERS_H
#define FW_HANDLERS_H

#include "page.h"

/* login.c -- ch. 1: Log in, Forgot password?, Sign Up, reset link, Log out */
int login_get(struct ctx *c);
int login_post(struct ctx *c);
int login_logout(struct ctx *c);
int login_forgot(struct ctx *c);
int login_signup(struct ctx *c);
int login_reset(struct ctx *c);

/* home.c -- Home, Settings, notifications, calendar feeds */
int home_get(struct ctx *c);
int home_settings(struct ctx *c);
/* The Settings page's lists (zones, notifications, calendar feeds, API
 * tokens) for a page shown again.  This function can't fail. */
void home_settings_view(struct ctx *c);
int home_notifications(struct ctx *c);
int home_calendar_new(struct ctx *c);
int home_calendar_revoke(struct ctx *c);
int home_calendar_feed(struct ctx *c);

/* wo_list.c -- ch. 2-3: the Work Orders list, pin, CSV */
int wo_list_get(struct ctx *c);
int wo_list_pin(struct ctx *c);
int wo_list_csv(struct ctx *c);

/* wo_tabs.c -- ch. 4: the work order page's tabs, Print, service report */
int wo_tabs_show(struct ctx *c);
int wo_tabs_print(struct ctx *c);
int wo_tabs_service_report(struct ctx *c);

/* wo_actions.c -- ch. 5, 7-11: the actions' forms and buttons */
int wo_actions_form(struct ctx *c);
int wo_actions_post(struct ctx *c);
int wo_actions_suggest(struct ctx *c);

/* collaborate.c -- ch. 6: posts, comments, likes, mentions, Follow, Files */
int collaborate_post(struct ctx *c);
int collaborate_comment(struct ctx *c);
int collaborate_like(struct ctx *c);
int collaborate_follow(struct ctx *c);
int collaborate_files(struct ctx *c);
int collaborate_file(struct ctx *c);
int collaborate_mentions(struct ctx *c);

/* technicians.c -- ch. 7 and 12: WO Assignment, Field Technician Management */
int technicians_get(struct ctx *c);
int technicians_onboard(struct ctx *c);
int technicians_offboard(struct ctx *c);
int technicians_assign(struct ctx *c);
/* The WO Assignment tab's search, into the view-model of the work order
 * page (wo_tabs.c).  0, or -1 with c->err. */
int technicians_assignment_view(struct ctx *c, int64_t number);

/* operator.c -- New Work Order, the queue, SLA settings */
int operator_wo_new(struct ctx *c);
int operator_queue(struct ctx *c);
int operator_queue_resolve(struct ctx *c);
int operator_sla(struct ctx *c);

/* users.c -- Users, sign-up requests, reset links */
int users_get(struct ctx *c);
int users_reset_link(struct ctx *c);
int users_set_disabled(struct ctx *c);
int users_signup_approve(struct ctx *c);
int users_signup_reject(struct ctx *c);

/* dashboard.c -- Dashboard, Chargepoint University */
int dashboard_get(struct ctx *c);
int dashboard_csv(struct ctx *c);
int dashboard_university(struct ctx *c);

/* library.c -- Library */
int library_get(struct ctx *c);
int library_add(struct ctx *c);
int library_delete(struct ctx *c);
int library_download(struct ctx *c);

int operator_wo_import(struct ctx *c);
int operator_wo_import_template(struct ctx *c);

/* integrations.c */
void integrations_tokens_view(struct ctx *c);
int integrations_token_new(struct ctx *c);
int integrations_token_revoke(struct ctx *c);
int integrations_webhook_new(struct ctx *c);
int integrations_webhook_delete(struct ctx *c);
int integrations_webhook_resend(struct ctx *c);

#endif
