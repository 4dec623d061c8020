/* main.c -- the command line: serve, init, demo, user, backup. */
#include "web/api.h"
#include "web/app.h"
#include "auth.h"
#include "copy.h"
#include "db.h"
#include "dbmem.h"
#include "sla.h"
#include "demo.h"
#include "files.h"
#include "web/http.h"
#include "hook.h"
#include "hookd.h"
#include "mail.h"
#include "notify.h"
#include "tz.h"
#include "search.h"
#include "rank.h"
#include "token.h"
#include "user.h"
#include "util.h"
#include "wo.h"

#include <getopt.h>
#include <sodium.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile sig_atomic_t stop_flag;

static void
on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static const char *
env_or(const char *name, const char *def)
{
	const char *v = getenv(name);
	return v && *v ? v : def;
}

static void
usage_main(FILE *f)
{
	fprintf(f,
	    "usage: fieldwork COMMAND [options]\n"
	    "\n"
	    "commands:\n"
	    "  serve    serve the portal over HTTP\n"
	    "  init     create or upgrade the database\n"
	    "  demo     fill a new database with demo data\n"
	    "  user     add a user, set a password, disable or enable a login\n"
	    "  backup   write a consistent copy of the database\n"
	    "  copy     copy a SQLite database into a new PostgreSQL one\n"
	    "  token    make an API token for a user (printed once)\n"
	    "\n"
	    "Every command takes --db PATH (default $FIELDWORK_DB or fieldwork.db).\n"
	    "Run 'fieldwork COMMAND --help' for a command's options.\n");
}

/* Opens and migrates the database.  NULL on failure (printed). */
static db_t *
open_db(const char *path)
{
	db_t *db;
	char err[512];
	if (db_open(path, &db, err, sizeof(err)) != 0) {
		fprintf(stderr, "fieldwork: %s\n", err);
		return NULL;
	}
	if (db_migrate(db, err, sizeof(err)) < 0) {
		fprintf(stderr, "fieldwork: %s\n", err);
		db_close(db);
		return NULL;
	}
	return db;
}

static int
parse_listen(const char *s, char *addr, size_t n, int *port)
{
	const char *colon = strrchr(s, ':');
	if (!colon || colon == s || (size_t)(colon - s) >= n)
		return -1;
	memcpy(addr, s, (size_t)(colon - s));
	addr[colon - s] = '\0';
	int64_t p = str_to_id(colon + 1, 5);
	if (p < 1 || p > 65535)
		return -1;
	*port = (int)p;
	return 0;
}

/* The origin ("https://host[:port]") of tile URL template T into OUT; 0,
 * or -1 when T is not an http(s) address with {z}, {x} and {y}. */
static int
tiles_origin_of(const char *t, char *out, size_t n)
{
	const char *host = !strncmp(t, "https://", 8) ? t + 8 : !strncmp(t, "http://", 7) ? t + 7 : NULL;
	if (!host || !strstr(t, "{z}") || !strstr(t, "{x}") || !strstr(t, "{y}") || strlen(t) > 200)
		return -1;
	size_t len = strcspn(host, "/");
	if (!len || strcspn(host, " ;'\"") < len)
		return -1;
	snprintf(out, n, "%.*s", (int)(host - t + len), t);
	return 0;
}

/* Whether a request came since *SEEN (http_requests()'s). */
static int
server_busy(void *seen)
{
	return http_requests() != *(uint64_t *)seen;
}

static int
cmd_serve(int argc, char **argv)
{
	const char *db_path = env_or("FIELDWORK_DB", "fieldwork.db");
	const char *listen = env_or("FIELDWORK_LISTEN", "127.0.0.1:8080");
	const char *brand = env_or("FIELDWORK_BRAND", "ChargePoint");
	long threads = sysconf(_SC_NPROCESSORS_ONLN);
	static const struct option opts[] = {
		{ "db", required_argument, 0, 'd' }, { "listen", required_argument, 0, 'l' },
		{ "threads", required_argument, 0, 't' }, { "brand", required_argument, 0, 'b' },
		{ "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 },
	};
	int ch;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': db_path = optarg; break;
		case 'l': listen = optarg; break;
		case 'b': brand = optarg; break;
		case 't': threads = str_to_id(optarg, 3); break;
		case 'h':
			printf("usage: fieldwork serve [--listen ADDR:PORT] [--db PATH] [--threads N] [--brand NAME]\n"
			    "  --listen   address and port (default $FIELDWORK_LISTEN or 127.0.0.1:8080)\n"
			    "  --db       database file (default $FIELDWORK_DB or fieldwork.db)\n"
			    "  --threads  worker threads, each with its own connection (default: cores)\n"
			    "  --brand    the operator's name in the portal (default $FIELDWORK_BRAND or ChargePoint)\n");
			return 0;
		default: return 2;
		}
	}
	char addr[64];
	int port;
	if (parse_listen(listen, addr, sizeof(addr), &port) != 0) {
		fprintf(stderr, "fieldwork: --listen wants ADDR:PORT, e.g. 127.0.0.1:8080\n");
		return 2;
	}
	if (threads < 1 || threads > 256) {
		fprintf(stderr, "fieldwork: --threads wants 1 to 256\n");
		return 2;
	}
	db_t *db = open_db(db_path);
	if (!db)
		return 1;
	int readonly = db_readonly(db), embedded = !db_is_pg(db);
	db_close(db);
	const char *base_url = getenv("FIELDWORK_BASE_URL");
	int https = base_url && !strncmp(base_url, "https://", 8);
	if (base_url && *base_url && !https && strncmp(base_url, "http://", 7)) {
		fprintf(stderr, "fieldwork: FIELDWORK_BASE_URL must start with https:// or http://\n");
		return 2;
	}
	/* a map tile server: its origin joins the pages' img-src */
	const char *tiles = getenv("FIELDWORK_TILES");
	char tiles_origin[256] = "";
	if (tiles && *tiles && tiles_origin_of(tiles, tiles_origin, sizeof(tiles_origin)) != 0) {
		fprintf(stderr, "fieldwork: FIELDWORK_TILES must be an http(s) address with {z}, {x} and {y},"
		    " e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png\n");
		return 2;
	}
	struct app_config ac = { .brand = brand, .secure_cookies = https || getenv("FIELDWORK_SECURE_COOKIES"),
		.base_url = base_url, .readonly = readonly, .tiles = tiles_origin[0] ? tiles : NULL };
	char err[512];
	if (app_init(&ac, err, sizeof(err)) != 0) {
		fprintf(stderr, "fieldwork: %s\n", err);
		return 1;
	}
	db_thread_init(db_path);
	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	int64_t file_mb = str_to_id(env_or("FIELDWORK_MAX_FILE_MB", "25"), 4);
	int64_t wo_mb = str_to_id(env_or("FIELDWORK_MAX_WO_FILES_MB", "200"), 5);
	if (file_mb < 1 || wo_mb < file_mb) {
		fprintf(stderr, "fieldwork: FIELDWORK_MAX_FILE_MB must be at least 1 and FIELDWORK_MAX_WO_FILES_MB at least that\n");
		return 2;
	}
	files_set_limits((size_t)file_mb << 20, (size_t)wo_mb << 20);
	int64_t api_rate = str_to_id(env_or("FIELDWORK_API_RATE", "600"), 6);
	if (api_rate < 1 || api_rate > 100000) {
		fprintf(stderr, "fieldwork: FIELDWORK_API_RATE must be 1 to 100000 requests a minute per token\n");
		return 2;
	}
	api_set_rate((int)api_rate);
	int64_t risk_hours = str_to_id(env_or("FIELDWORK_AT_RISK_HOURS", "24"), 3);
	if (risk_hours < 1 || risk_hours > 720) {
		fprintf(stderr, "fieldwork: FIELDWORK_AT_RISK_HOURS must be 1 to 720\n");
		return 2;
	}
	sla_set_at_risk_hours((int)risk_hours);
	/* how much a search's page may read in the sort's order before it
	 * sorts the newest matches instead (wo.c) */
	int64_t search_steps = str_to_id(env_or("FIELDWORK_SEARCH_STEPS", "20000"), 8);
	if (search_steps < 1000 || search_steps > 10000000) {
		fprintf(stderr, "fieldwork: FIELDWORK_SEARCH_STEPS must be 1000 to 10000000\n");
		return 2;
	}
	/* how many matches a search gathers whole (more: walked, or the newest
	 * sorted): SQLite's are bits of a hit set, 150,000 in some 15 ms, and
	 * only where the first 10,000 say they fit, where a walk reads a row
	 * of wo for each row it tests, from disk when the machine has let the
	 * page go (wo_search.c); PostgreSQL's are rows of a table with a key,
	 * ten times the cost each */
	int64_t gather = str_to_id(env_or("FIELDWORK_SEARCH_GATHER", embedded ? "150000" : "10000"), 8);
	if (gather < 100 || gather > 1000000) {
		fprintf(stderr, "fieldwork: FIELDWORK_SEARCH_GATHER must be 100 to 1000000\n");
		return 2;
	}
	wo_search_tune((int)gather, search_steps, 0, 0);
	/* the memory the work orders' places in the sort orders may take
	 * (rank.h: two bytes a work order an order; 0: none kept) */
	int64_t rank_mib = str_to_id(env_or("FIELDWORK_SORT_MEMORY_MB", "12"), 4);
	if (rank_mib < 0 || rank_mib > 1024) {
		fprintf(stderr, "fieldwork: FIELDWORK_SORT_MEMORY_MB must be 0 to 1024\n");
		return 2;
	}
	rank_tune((size_t)rank_mib << 20);
	/* behind a proxy every connection comes from it: it limits per client */
	int64_t per_addr = str_to_id(env_or("FIELDWORK_CONNS_PER_ADDRESS", getenv("FIELDWORK_TRUSTED_PROXY") ? "1000" : "32"), 4);
	if (per_addr < 1 || per_addr > 1000) {
		fprintf(stderr, "fieldwork: FIELDWORK_CONNS_PER_ADDRESS must be 1 to 1000\n");
		return 2;
	}
	struct http_config hc = {
		.addr = addr, .port = port, .threads = (unsigned)threads, .max_conns = 1000, .timeout = 30,
		.max_body = 1u << 20, .max_header = 32 * 1024,
		.max_file = (size_t)file_mb << 20, .max_upload = ((size_t)file_mb << 20) * 4,
		.max_per_addr = (unsigned)per_addr, .hsts = https,
		.trusted_proxies = getenv("FIELDWORK_TRUSTED_PROXY"),
		.img_origin = tiles_origin[0] ? tiles_origin : NULL,
	};
	const char *smtp = getenv("FIELDWORK_SMTP_URL");
	char base[128];
	snprintf(base, sizeof(base), "http://%s:%d", addr, port);
	if (smtp && *smtp) {
		notify_email_enable(1, env_or("FIELDWORK_BASE_URL", base));
		if (mail_start(smtp, env_or("FIELDWORK_SMTP_FROM", "partner-connect@localhost"), db_path) != 0) {
			fprintf(stderr, "fieldwork: cannot start the mail sender\n");
			return 1;
		}
	}
	int hook_local = getenv("FIELDWORK_WEBHOOK_ALLOW_HTTP") != NULL;
	hook_set_allow_http(hook_local);
	int64_t retry = str_to_id(env_or("FIELDWORK_WEBHOOK_RETRY_SECONDS", "30"), 5);
	if (retry < 1 || retry > 3600) {
		fprintf(stderr, "fieldwork: FIELDWORK_WEBHOOK_RETRY_SECONDS must be 1 to 3600\n");
		mail_stop();
		return 2;
	}
	hook_set_retry_base((int)retry);
	if (!readonly && hookd_start(db_path, hook_local) != 0) {
		fprintf(stderr, "fieldwork: cannot start the webhook sender\n");
		mail_stop();
		return 1;
	}
	struct http_server *srv = http_start(&hc, app_handle, app_admit);
	if (!srv) {
		hookd_stop();
		mail_stop();
		return 1;
	}
	char shown[512];
	printf("Fieldwork is serving %s Partner Connect at http://%s:%d/  (database %s)\n", brand, addr, port,
	    db_shown_name(db_path, shown, sizeof(shown)));
	if (readonly)
		printf("The database %s is read-only: pages are served, and every change (logging in too) is refused"
		    " with 503 until it is writable and the server restarted.\n", db_path);
	fflush(stdout);
	/* serving already: the page buffers of each worker's first reads,
	 * backed while this thread has nothing else to do (SQLite's: on
	 * PostgreSQL the pages are the server's) */
	if (embedded)
		dbmem_prefault((size_t)(threads < 4 ? threads : 4) * (16u << 20));
	/* then, once the server is quiet for a second, the matches of the
	 * words most work orders have, kept for the searches of them
	 * (search.c), a word at a time while it stays quiet and at a lower
	 * priority than the workers */
	db_t *warm = NULL;
	if (embedded && !readonly && db_open(db_path, &warm, err, sizeof(err)) == 0) {
		setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10);
		if (db_background(warm) != 0) {
			db_close(warm);
			warm = NULL;
		}
	}
	uint64_t seen = http_requests();
	int quiet = 0, dense = 0;
	while (!stop_flag) {
		usleep(200 * 1000);
		uint64_t now = http_requests();
		quiet = now == seen ? quiet + 1 : 0;
		seen = now;
		if (!warm || quiet < 5)
			continue;
		int r = dense ? 1 : search_dense_warm(warm, gather, server_busy, &seen);
		if (r < 0)
			fprintf(stderr, "fieldwork: the common words' matches were not kept: searches of them walk\n");
		dense |= r != 0;
		/* then the work orders' places in the sort orders, made again
		 * as work orders move (wo_rank_warm) */
		if (r != 0 && wo_rank_warm(warm, server_busy, &seen) < 0) {
			fprintf(stderr, "fieldwork: the places in the sort orders were not kept: rare matches sort the newest\n");
			db_close(warm);
			warm = NULL;
		}
	}
	db_close(warm);
	http_stop(srv);
	int rc = 0;
	hookd_stop();
	mail_stop();
	db_thread_close_all();
	app_shutdown();
	tz_free_all();
	return rc == 0 ? 0 : 1;
}

static int
cmd_init(int argc, char **argv)
{
	const char *db_path = env_or("FIELDWORK_DB", "fieldwork.db");
	static const struct option opts[] = {
		{ "db", required_argument, 0, 'd' }, { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 },
	};
	int ch;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'd')
			db_path = optarg;
		else if (ch == 'h') {
			printf("usage: fieldwork init [--db PATH]\n  Creates the database or applies new migrations.\n");
			return 0;
		} else
			return 2;
	}
	db_t *db = open_db(db_path);
	if (!db)
		return 1;
	db_close(db);
	char shown[512];
	printf("Database %s is ready.\n", db_shown_name(db_path, shown, sizeof(shown)));
	return 0;
}

static int
parse_day(const char *s, int64_t *day)
{
	int y, m, d;
	char extra;
	if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3 || m < 1 || m > 12 || d < 1 || d > 31 || y < 1971)
		return -1;
	*day = tz_days_from_civil(y, m, d);
	return 0;
}

static int
cmd_demo(int argc, char **argv)
{
	const char *db_path = env_or("FIELDWORK_DB", "fieldwork.db");
	struct demo_opts o = { .work_orders = 200, .seed = 1, .epoch_day = now_utc() / 86400,
		.brand = env_or("FIELDWORK_BRAND", "ChargePoint") };
	static const struct option opts[] = {
		{ "db", required_argument, 0, 'd' }, { "work-orders", required_argument, 0, 'n' },
		{ "seed", required_argument, 0, 's' }, { "epoch", required_argument, 0, 'e' },
		{ "brand", required_argument, 0, 'b' }, { "print-logins", no_argument, 0, 'p' },
		{ "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 },
	};
	int ch;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			demo_print_logins(o.brand);
			return 0;
		case 'd': db_path = optarg; break;
		case 'n':
			o.work_orders = (long)str_to_id(optarg, 8);
			if (o.work_orders < 0 || o.work_orders > 5000000) {
				fprintf(stderr, "fieldwork: --work-orders wants 0 to 5000000\n");
				return 2;
			}
			break;
		case 's': {
			int64_t s = str_to_id(optarg, 18);
			if (s < 0) {
				fprintf(stderr, "fieldwork: --seed wants a non-negative number\n");
				return 2;
			}
			o.seed = (uint64_t)s;
			break;
		}
		case 'e':
			if (parse_day(optarg, &o.epoch_day)) {
				fprintf(stderr, "fieldwork: --epoch wants a date, YYYY-MM-DD\n");
				return 2;
			}
			break;
		case 'b': o.brand = optarg; break;
		case 'h':
			printf("usage: fieldwork demo [--db PATH] [--work-orders N] [--seed S] [--epoch YYYY-MM-DD] [--brand NAME]\n"
			    "       fieldwork demo --print-logins\n"
			    "  Fills a new database with demo data: the operator, three partner companies with\n"
			    "  their users, accounts, stations and N work orders (default 200) over all statuses.\n"
			    "  The same seed and epoch (the data's \"today\", default today) give the same data.\n");
			return 0;
		default: return 2;
		}
	}
	db_t *db = open_db(db_path);
	if (!db)
		return 1;
	if (auth_init() != 0) {
		db_close(db);
		return 1;
	}
	char err[512];
	o.path = db_path;
	int rc = demo_fill(db, &o, err, sizeof(err));
	db_close(db);
	tz_free_all();
	if (rc) {
		fprintf(stderr, "fieldwork: %s\n", err);
		return 1;
	}
	char shown[512];
	printf("Demo data written to %s: %ld work orders.\n", db_shown_name(db_path, shown, sizeof(shown)), o.work_orders);
	demo_print_logins(o.brand);
	return 0;
}

/* Reads one line (the password) from standard input into OUT. */
static int
read_password(char *out, size_t n)
{
	if (!fgets(out, (int)n, stdin))
		return -1;
	out[strcspn(out, "\r\n")] = '\0';
	return 0;
}

static int
cmd_user(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		printf("usage: fieldwork user add --email E --name NAME --role ROLE --company NAME [--password-stdin]\n"
		    "       fieldwork user passwd --email E           (reads the new password from standard input)\n"
		    "       fieldwork user disable --email E\n"
		    "       fieldwork user enable --email E\n"
		    "  ROLE is operator, dispatcher, admin (partner admin) or technician; every form takes --db PATH.\n"
		    "  Without --password-stdin, 'add' prints a one-time link for the user to set a password.\n");
		return argc < 2 ? 2 : 0;
	}
	const char *sub = argv[1];
	const char *db_path = env_or("FIELDWORK_DB", "fieldwork.db");
	const char *email = NULL, *name = NULL, *role = NULL, *company = NULL;
	int pw_stdin = 0;
	static const struct option opts[] = {
		{ "db", required_argument, 0, 'd' }, { "email", required_argument, 0, 'e' },
		{ "name", required_argument, 0, 'n' }, { "role", required_argument, 0, 'r' },
		{ "company", required_argument, 0, 'c' }, { "password-stdin", no_argument, 0, 'p' },
		{ "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 },
	};
	int ch;
	optind = 2;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': db_path = optarg; break;
		case 'e': email = optarg; break;
		case 'n': name = optarg; break;
		case 'r': role = optarg; break;
		case 'c': company = optarg; break;
		case 'p': pw_stdin = 1; break;
		case 'h': return cmd_user(2, (char *[]){ "user", "--help", NULL });
		default: return 2;
		}
	}
	if (!email) {
		fprintf(stderr, "fieldwork: user %s needs --email\n", sub);
		return 2;
	}
	if (auth_init() != 0)
		return 1;
	db_t *db = open_db(db_path);
	if (!db)
		return 1;
	int rc = 1;
	char err[512], pw[USER_PW_MAX + 2] = "";
	struct user u;
	if (!strcmp(sub, "add")) {
		if (!name || !role || !company) {
			fprintf(stderr, "fieldwork: user add needs --name, --role and --company\n");
			rc = 2;
			goto out;
		}
		int64_t org = org_find(db, company);
		if (org == 0)
			org = org_add(db, company, !strcmp(role, "operator") ? "operator" : "partner", "");
		if (org < 0) {
			fprintf(stderr, "fieldwork: cannot find or create company %s\n", company);
			goto out;
		}
		if (pw_stdin && read_password(pw, sizeof(pw))) {
			fprintf(stderr, "fieldwork: no password on standard input\n");
			goto out;
		}
		int64_t id = user_add(db, org, email, name, role, pw_stdin ? pw : NULL, err, sizeof(err));
		if (id < 0) {
			fprintf(stderr, "fieldwork: %s\n", err);
			goto out;
		}
		printf("Added %s <%s> (%s) to %s.\n", name, email, user_role_label(role), company);
		if (!pw_stdin) {
			char token[AUTH_TOKEN_LEN];
			if (auth_reset_issue(db, id, 0, token) == 0)
				printf("Link to set a password (valid 24 hours): /reset/%s\n", token);
		}
		rc = 0;
	} else if (!strcmp(sub, "passwd") || !strcmp(sub, "disable") || !strcmp(sub, "enable")) {
		if (user_find_email(db, email, &u) != 0) {
			fprintf(stderr, "fieldwork: no user with email %s\n", email);
			goto out;
		}
		if (!strcmp(sub, "passwd")) {
			if (read_password(pw, sizeof(pw)) || auth_set_password(db, u.id, pw, err, sizeof(err))) {
				fprintf(stderr, "fieldwork: %s\n", pw[0] ? err : "no password on standard input");
				goto out;
			}
			printf("Password changed for %s; their sessions are ended.\n", email);
		} else {
			if (auth_set_disabled(db, u.id, !strcmp(sub, "disable"))) {
				fprintf(stderr, "fieldwork: cannot change %s\n", email);
				goto out;
			}
			printf("%s is now %s.\n", email, !strcmp(sub, "disable") ? "disabled" : "enabled");
		}
		rc = 0;
	} else {
		fprintf(stderr, "fieldwork: unknown user command %s (add, passwd, disable, enable)\n", sub);
		rc = 2;
	}
out:
	explicit_bzero(pw, sizeof(pw));
	db_close(db);
	return rc;
}

static int
cmd_backup(int argc, char **argv)
{
	const char *db_path = env_or("FIELDWORK_DB", "fieldwork.db"), *to = NULL;
	static const struct option opts[] = {
		{ "db", required_argument, 0, 'd' }, { "to", required_argument, 0, 't' },
		{ "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 },
	};
	int ch;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'd')
			db_path = optarg;
		else if (ch == 't')
			to = optarg;
		else if (ch == 'h') {
			printf("usage: fieldwork backup --to PATH [--db PATH]\n"
			    "  Writes a consistent copy of the database while the server runs.\n");
			return 0;
		} else
			return 2;
	}
	if (!to) {
		fprintf(stderr, "fieldwork: backup needs --to PATH\n");
		return 2;
	}
	db_t *db = open_db(db_path);
	if (!db)
		return 1;
	if (db_is_pg(db)) {
		db_close(db);
		fprintf(stderr, "fieldwork: back a PostgreSQL store up with its own tools: pg_dump -Fc -f FILE '<the same URI>'\n");
		return 2;
	}
	db_stmt *s = db_prep(db, "VACUUM INTO ?1");
	int rc = DB_ERROR;
	if (s) {
		db_bind_text(s, 1, to);
		rc = db_step(s);
		db_done(s);
	}
	if (rc != DB_DONE)
		fprintf(stderr, "fieldwork: backup failed: %s\n", db_errmsg(db));
	else
		printf("Backup written to %s.\n", to);
	db_close(db);
	return rc == DB_DONE ? 0 : 1;
}

static int
cmd_copy(int argc, char **argv)
{
	const char *from = NULL, *to = NULL;
	static const struct option opts[] = {
		{ "from", required_argument, 0, 'f' }, { "to", required_argument, 0, 't' },
		{ "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 },
	};
	int ch;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'f')
			from = optarg;
		else if (ch == 't')
			to = optarg;
		else if (ch == 'h') {
			printf("usage: fieldwork copy --from FILE --to postgresql://...\n"
			    "  Copies every table of a SQLite database (files included) into an empty PostgreSQL\n"
			    "  database, in one transaction, and compares each table's rows.  Stop the servers\n"
			    "  using the file first, or copy a backup of it.\n");
			return 0;
		} else
			return 2;
	}
	if (!from || !to) {
		fprintf(stderr, "fieldwork: copy needs --from FILE and --to postgresql://...\n");
		return 2;
	}
	db_t *src = open_db(from);
	if (!src)
		return 1;
	db_t *dst = open_db(to);
	if (!dst) {
		db_close(src);
		return 1;
	}
	char err[512];
	int rc = copy_store(src, dst, stderr, err, sizeof(err));
	if (rc)
		fprintf(stderr, "fieldwork: copy: %s\n", err);
	else
		printf("Copied %s into the PostgreSQL database; every table has as many rows on both sides.\n", from);
	db_close(dst);
	db_close(src);
	return rc ? 1 : 0;
}

static int
cmd_token(int argc, char **argv)
{
	const char *db_path = env_or("FIELDWORK_DB", "fieldwork.db"), *email = NULL, *name = NULL, *scope = "read";
	long days = 0;
	static const struct option opts[] = {
		{ "db", required_argument, 0, 'd' }, { "user", required_argument, 0, 'u' },
		{ "name", required_argument, 0, 'n' }, { "scope", required_argument, 0, 's' },
		{ "expires", required_argument, 0, 'e' }, { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 },
	};
	int ch;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'd')
			db_path = optarg;
		else if (ch == 'u')
			email = optarg;
		else if (ch == 'n')
			name = optarg;
		else if (ch == 's')
			scope = optarg;
		else if (ch == 'e')
			days = str_to_id(optarg, 4);
		else if (ch == 'h') {
			printf("usage: fieldwork token --user EMAIL --name NAME [--scope read|write] [--expires DAYS] [--db PATH]\n"
			    "  Makes an API token acting as the user and prints it (it is not shown again).\n");
			return 0;
		} else
			return 2;
	}
	if (!email || !name || (strcmp(scope, "read") && strcmp(scope, "write")) || days < 0) {
		fprintf(stderr, "fieldwork: token needs --user EMAIL --name NAME, --scope read or write, --expires DAYS\n");
		return 2;
	}
	db_t *db = open_db(db_path);
	if (!db)
		return 1;
	struct user u;
	char token[TOKEN_LEN], msg[256] = "";
	int rc = user_find_email(db, email, &u);
	if (rc != 0) {
		fprintf(stderr, "fieldwork: %s\n", rc > 0 ? "no user with that email" : "the database could not be read");
		db_close(db);
		return 1;
	}
	rc = token_issue(db, &u, u.id, name, !strcmp(scope, "write"), (int)days, token, msg, sizeof(msg));
	db_close(db);
	if (rc != TOKEN_OK) {
		fprintf(stderr, "fieldwork: %s\n", msg);
		return 1;
	}
	printf("%s\n", token);
	sodium_memzero(token, sizeof(token));
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		usage_main(stderr);
		return 2;
	}
	const char *cmd = argv[1];
	(void)dbmem_init();   /* before any database opens; failing, SQLite's own allocator stays */
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		usage_main(stdout);
		return 0;
	}
	if (!strcmp(cmd, "user"))
		return cmd_user(argc - 1, argv + 1);
	int (*fn)(int, char **) = !strcmp(cmd, "serve") ? cmd_serve : !strcmp(cmd, "init") ? cmd_init :
	    !strcmp(cmd, "demo") ? cmd_demo : !strcmp(cmd, "backup") ? cmd_backup : !strcmp(cmd, "copy") ? cmd_copy :
	    !strcmp(cmd, "token") ? cmd_token : NULL;
	if (!fn) {
		fprintf(stderr, "fieldwork: unknown command %s\n", cmd);
		usage_main(stderr);
		return 2;
	}
	return fn(argc - 1, argv + 1);
}
