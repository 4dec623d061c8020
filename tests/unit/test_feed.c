/* Unit tests of the Collaborate feed (feed.c): @mentions of people and
 * teams that may be tagged (and the refusal of those that may not),
 * email addresses that are not mentions, the limits, comments, likes. */
#include "unit.h"
#include "feed.h"
#include "notify.h"
#include "tz.h"
#include "user.h"

static db_t *db;
static char path[64];
static struct user megan, volt, op;
static int64_t n;

static int
setup(void **state)
{
	db = unit_db(60, path);
	if (!db || unit_users(db, "dispatch@megansdispatch.example", &megan, "dispatch@voltfield.example", &volt,
	    "operator@chargepoint.example", &op, NULL))
		return -1;
	db_stmt *s = db_prep(db, "SELECT number FROM wo WHERE owner_org_id = ?1 ORDER BY number LIMIT 1");
	db_bind_int(s, 1, megan.org_id);
	n = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
	db_done(s);
	return n ? 0 : -1;
}

static int
teardown(void **state)
{
	unit_db_drop(db, path);
	tz_free_all();
	return 0;
}

/* The first taggable person on N, with their insert text. */
static int64_t
taggable_person(char *insert, size_t len, char *name, size_t nlen)
{
	json_t *t = feed_taggable(db, &megan, n, "");
	size_t i;
	json_t *o;
	int found = 0;
	json_array_foreach(t, i, o) {
		if (strcmp(json_string_value(json_object_get(o, "kind")), "person"))
			continue;
		snprintf(insert, len, "%s", json_string_value(json_object_get(o, "insert")));
		snprintf(name, nlen, "%s", json_string_value(json_object_get(o, "name")));
		found = 1;
		break;
	}
	json_decref(t);
	if (!found)
		return 0;
	struct user u;
	db_stmt *s = db_prep(db, "SELECT id FROM users WHERE name = ?1");
	db_bind_text(s, 1, name);
	int64_t id = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
	db_done(s);
	(void)u;
	return id;
}

static void
test_mention_notifies_the_person_once(void **state)
{
	char insert[160], name[128], body[400], msg[512] = "";
	int64_t who = taggable_person(insert, sizeof(insert), name, sizeof(name));
	assert_true(who > 0);
	int64_t before = notify_unread(db, who), id = 0;
	snprintf(body, sizeof(body), "%s please confirm the part, and again %s", insert, insert);
	assert_int_equal(feed_add(db, &megan, n, 0, body, NULL, 0, &id, msg, sizeof(msg)), FEED_OK);
	assert_true(id > 0);
	assert_int_equal(notify_unread(db, who), before + 1);
}

/* The unread count stops counting past NOTIFY_UNREAD_MAX (the badge says
 * "999+"), and counts exactly below it. */
static void
test_unread_count_is_bounded(void **state)
{
	char sql[400];
	assert_int_equal(notify_mark_read(db, op.id), 0);
	assert_int_equal(notify_unread(db, op.id), 0);
	snprintf(sql, sizeof(sql), "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < %d)"
	    " INSERT INTO notification(user_id, kind, text, created_at) SELECT %lld, 'status', 'x', i FROM k",
	    NOTIFY_UNREAD_MAX, (long long)op.id);
	assert_int_equal(db_exec1(db, sql), DB_DONE);
	assert_int_equal(notify_unread(db, op.id), NOTIFY_UNREAD_MAX);
	assert_int_equal(db_exec1(db, sql), DB_DONE);
	assert_int_equal(notify_unread(db, op.id), NOTIFY_UNREAD_MAX + 1);
	assert_int_equal(notify_mark_read(db, op.id), 0);
	assert_int_equal(notify_unread(db, op.id), 0);
}

static void
test_untaggable_and_emails(void **state)
{
	char msg[512] = "";
	int64_t id;
	assert_int_equal(feed_add(db, &megan, n, 0, "ask @\"Nobody Atall\" about it", NULL, 0, &id, msg, sizeof(msg)),
	    FEED_BAD);
	assert_non_null(strstr(msg, "\"Nobody Atall\" cannot be tagged on this work order"));
	/* another company's dispatcher cannot be tagged here either */
	char body[300];
	snprintf(body, sizeof(body), "hello @\"%s\"", volt.name);
	assert_int_equal(feed_add(db, &megan, n, 0, body, NULL, 0, &id, msg, sizeof(msg)), FEED_BAD);
	msg[0] = '\0';
	assert_int_equal(feed_add(db, &megan, n, 0, "write to dana@megansdispatch.example", NULL, 0, &id, msg,
	    sizeof(msg)), FEED_OK);
}

static void
test_limits_comments_and_likes(void **state)
{
	char msg[512] = "";
	int64_t id, cid;
	assert_int_equal(feed_add(db, &megan, n, 0, "", NULL, 0, &id, msg, sizeof(msg)), FEED_BAD);
	char *big = malloc(FEED_BODY_MAX + 2);
	memset(big, 'x', FEED_BODY_MAX + 1);
	big[FEED_BODY_MAX + 1] = '\0';
	assert_int_equal(feed_add(db, &megan, n, 0, big, NULL, 0, &id, msg, sizeof(msg)), FEED_BAD);
	free(big);
	assert_int_equal(feed_add(db, &megan, n, 0, "Arrived on site", NULL, 0, &id, msg, sizeof(msg)), FEED_OK);
	assert_int_equal(feed_add(db, &op, n, id, "Thanks", NULL, 0, &cid, msg, sizeof(msg)), FEED_OK);
	assert_int_equal(feed_add(db, &op, n + 1, id, "Wrong work order", NULL, 0, &cid, msg, sizeof(msg)),
	    FEED_NOT_FOUND);
	assert_int_equal(feed_like(db, &op, n, id), FEED_OK);
	assert_int_equal(feed_like(db, &op, n, 999999), FEED_NOT_FOUND);
	json_t *f = feed_list(db, &megan, n, "latest", NULL, 0, 200, tz_utc());
	assert_non_null(f);
	assert_true(json_array_size(f) >= 1);
	json_decref(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mention_notifies_the_person_once),
		cmocka_unit_test(test_unread_count_is_bounded),
		cmocka_unit_test(test_untaggable_and_emails),
		cmocka_unit_test(test_limits_comments_and_likes),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
