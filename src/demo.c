/* demo.c -- see demo.h.  Everything derives from one splitmix64 stream,
 * so a seed and an epoch day give the same data on any machine.  Large
 * runs drop the list indexes and search triggers first and build them
 * again at the end, which is several times faster than keeping them up to
 * date row by row. */
#include "demo.h"
#include "auth.h"
#include "sla.h"
#include "status.h"
#include "tz.h"
#include "user.h"
#include "library.h"
#include "util.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BULK_THRESHOLD 2000

struct terr { const char *name, *zone, *partner; };
static const struct terr territories[] = {
	{ "Florida - Jacksonville", "Zone 2", "Megan's Dispatch Service" },
	{ "Florida - Miami Metro", "Zone 3", "Megan's Dispatch Service" },
	{ "Florida - Orlando Metro", "Zone 2", "Megan's Dispatch Service" },
	{ "Georgia - Atlanta Metro", "Zone 1", "Megan's Dispatch Service" },
	{ "Ohio - Columbus Metro", "Zone 1", "Volt Field Services" },
	{ "Ohio - Dayton", "Zone 2", "Volt Field Services" },
	{ "Wisconsin - Milwaukee", "Zone 2", "Volt Field Services" },
	{ "Arizona", "Zone 3", "Volt Field Services" },
	{ "Tennessee - Knoxville Metro", "Zone 2", "Summit EV Maintenance" },
	{ "Tennessee - Nashville Metro", "Zone 1", "Summit EV Maintenance" },
	{ "Mississippi - Gulfport Metro", "Zone 3", "Summit EV Maintenance" },
	{ "North Carolina - Greensboro", "Zone 2", "Summit EV Maintenance" },
};

struct acct { const char *name, *street, *city, *state, *zip; int terr; };
static const struct acct guide_accounts[] = {
	{ "Ohio State University", "1739 N High St", "Columbus", "Ohio", "43210", 4 },
	{ "NORTHCENTRAL ELECTRIC", "1204 Broad Ave", "Gulfport", "Mississippi", "39501", 10 },
	{ "The Local Market", "4520 Kingston Pike", "Knoxville", "Tennessee", "37919", 8 },
	{ "City of Newark Ohio", "40 W Main St", "Newark", "Ohio", "43055", 4 },
	{ "City of St Marys", "101 E Spring St", "St Marys", "Ohio", "45885", 5 },
	{ "The Foundry", "500 W Goodale St", "Columbus", "Ohio", "43215", 4 },
	{ "Children's Healthcare of Atlanta", "1405 Clifton Rd NE", "Atlanta", "Georgia", "30322", 3 },
	{ "Bob King Mazda Hyundai", "3920 W Wendover Ave", "Greensboro", "North Carolina", "27407", 11 },
	{ "Primerica, Inc.", "1 Primerica Pkwy", "Duluth", "Georgia", "30099", 3 },
	{ "PCS Gridtech,LLC", "9995 Gate Pkwy N", "Jacksonville", "Florida", "32246", 0 },
	{ "Zen Terrace", "3800 Hendricks Ave", "Jacksonville", "Florida", "32207", 0 },
	{ "Dixie Power", "7022 A C Skinner Pkwy", "Jacksonville", "Florida", "32256", 0 },
	{ "Kriete Group", "4444 W Bradley Rd", "Milwaukee", "Wisconsin", "53223", 6 },
	{ "Carrier Corporation", "13995 Pasteur Blvd", "Palm Beach Gardens", "Florida", "33418", 1 },
	{ "Seven States Power Corporation", "1 Power Pl", "Nashville", "Tennessee", "37203", 9 },
	{ "The Point at Town Center", "10101 Town Center Blvd", "Jacksonville", "Florida", "32246", 0 },
	{ "Kohl's", "205 Palm Bay Rd NE", "Melbourne", "Florida", "32904", 2 },
	{ "Wood Partners", "7700 E Camelback Rd", "Scottsdale", "Arizona", "85251", 7 },
	{ "Chargepoint, Inc.", "8200 NW 41st St", "Doral", "Florida", "33166", 1 },
};
static const char *city_of_terr[][3] = {
	{ "Jacksonville", "Florida", "322" }, { "Miami", "Florida", "331" }, { "Orlando", "Florida", "328" },
	{ "Atlanta", "Georgia", "303" }, { "Columbus", "Ohio", "432" }, { "Dayton", "Ohio", "454" },
	{ "Milwaukee", "Wisconsin", "532" }, { "Phoenix", "Arizona", "850" }, { "Knoxville", "Tennessee", "379" },
	{ "Nashville", "Tennessee", "372" }, { "Gulfport", "Mississippi", "395" }, { "Greensboro", "North Carolina", "274" },
};
/* Where the demo's cities are (degrees), so each site sits on a real-looking
 * spot of the map: the city's centre, moved by the account and station. */
static const struct { const char *city; double lat, lon; } city_coords[] = {
	{ "Columbus", 39.9612, -82.9988 }, { "Gulfport", 30.3674, -89.0928 }, { "Knoxville", 35.9606, -83.9207 },
	{ "Newark", 40.0581, -82.4013 }, { "St Marys", 40.5423, -84.3894 }, { "Atlanta", 33.7490, -84.3880 },
	{ "Greensboro", 36.0726, -79.7920 }, { "Duluth", 34.0029, -84.1446 }, { "Jacksonville", 30.3322, -81.6557 },
	{ "Milwaukee", 43.0389, -87.9065 }, { "Palm Beach Gardens", 26.8234, -80.1387 }, { "Nashville", 36.1627, -86.7816 },
	{ "Melbourne", 28.0836, -80.6081 }, { "Scottsdale", 33.4942, -111.9261 }, { "Doral", 25.8195, -80.3553 },
	{ "Miami", 25.7617, -80.1918 }, { "Orlando", 28.5383, -81.3792 }, { "Dayton", 39.7589, -84.1916 },
	{ "Phoenix", 33.4484, -112.0740 },
};

/* Station K of account ID in CITY, in millionths of a degree; 0 when the
 * city is not known.  Derived from the ids, not the random stream, so the
 * rest of the demo stays what the seed makes it. */
static int
station_coords(const char *city, int64_t id, int k, int64_t *lat, int64_t *lon)
{
	for (size_t i = 0; i < FW_ARRAY_LEN(city_coords); i++) {
		if (strcmp(city_coords[i].city, city))
			continue;
		uint64_t h = (uint64_t)id * 0x9E3779B97F4A7C15ull;
		*lat = (int64_t)(city_coords[i].lat * 1e6) + (int64_t)(h >> 40) % 60000 - 30000 + k * 180;
		*lon = (int64_t)(city_coords[i].lon * 1e6) + (int64_t)(h >> 20 & 0xfffff) % 80000 - 40000 + k * 120;
		return 1;
	}
	return 0;
}

static const char *acct_first[] = { "Riverside", "Lakeview", "Harbor", "Oak Ridge", "Pine Valley", "Maple Grove",
	"Cedar Point", "Northgate", "Westfield", "Stonebridge" };
static const char *acct_second[] = { "Medical Center", "Apartments", "Plaza", "Town Hall", "Public Library",
	"Hotel", "Office Park", "Community College" };
static const char *streets[] = { "Main St", "Oak Ave", "Market St", "Park Blvd", "Commerce Dr", "Lake Rd",
	"Center St", "Industrial Pkwy", "Church St", "Broadway" };

struct wtype { const char *name, *short_name; int family; int parts; };
static const struct wtype work_types[] = {
	{ "CT4 Head Replacement", "Head Replacement", 0, 1 },
	{ "CT4 Wiring Verification", "Wiring Verification", 0, 0 },
	{ "CT4 Sim Card Replacement", "Sim Card Replacement", 0, 1 },
	{ "CT4 Power Management", "Power Management", 0, 0 },
	{ "CT4 Installation", "Install", 0, 1 },
	{ "250 WAGO Block Replacement", "WAGO Block Replacement", 1, 1 },
	{ "250 Charging Cable Replacement", "Charging Cable Replacement", 1, 1 },
	{ "250 Power Module Replacement", "PM replacement", 1, 1 },
	{ "250 NACS Installation", "NACS Installation", 1, 1 },
	{ "250 Fan Tray Assembly", "Fan Tray Assembly", 1, 1 },
	{ "CPF Latch Replacement", "Latch Replacement", 2, 1 },
	{ "PL2 Replace Door Fan", "Replace Door Fan", 1, 1 },
};
static const char *models[3][3] = {
	{ "CT4010-HD-GW", "CT4020-HD-GW", "CT4020-HD2-GW" },
	{ "CPE250C-500-CCS1", "CPE250C-500-CCS1", "CPE250C-500-CCS1" },
	{ "CPF25", "CPF25", "CPF25" },
};
static const char *station_spots[] = { "LEFT CHARGER", "RIGHT CHARGER", "GARAGE P2", "NORTH LOT", "LEVEL 1 - 01",
	"LEVEL 1 - 02", "VISITOR LOT", "FLEET 3" };
static const char *first_names[] = { "James", "Maria", "Robert", "Linda", "Michael", "Patricia", "David",
	"Jennifer", "William", "Elizabeth", "Carlos", "Aisha", "Kevin", "Sofia", "Brian", "Grace" };
static const char *last_names[] = { "Wallace", "Greer", "Johnson", "Martinez", "Brown", "Davis", "Garcia",
	"Miller", "Wilson", "Moore", "Taylor", "Thomas", "Jackson", "White", "Harris", "Clark" };
static const char *delay_reasons[] = {
	"Delay due to Unresponsive POC", "Delay due to POC Schedule Preference",
	"O&M Partner Work Order Management Performance", "Delay due to weather", "Technician Availability",
	"Delay due to Special On-Site Requirement", "Delay due to local Regulatory/Compliance",
	"Part delivery is later than expected delivery date", "Parts arrived damaged or are missing",
};

struct partner_def { const char *name, *domain, *admin, *dispatcher, *techs[4]; };
static const struct partner_def partners[] = {
	{ "Megan's Dispatch Service", "megansdispatch.example", "Megan Brooks", "Dana Whitfield",
	  { "Joe Bradley", "Allan Heard", "Joshua Boone", "Jacob Harrison" } },
	{ "Volt Field Services", "voltfield.example", "Marcus Reyes", "Kim Nguyen",
	  { "Ryan Cole", "Nadia Petrov", "Sam Okafor", "Lena Fischer" } },
	{ "Summit EV Maintenance", "summitev.example", "Laura Chen", "Tom Alvarez",
	  { "Eli Turner", "Rosa Delgado", "Ben Walsh", "Ivy Nakamura" } },
};
struct cert_def { const char *name, *kind; int months; const char *desc; };
static const struct cert_def certs[] = {
	{ "CP6000-INS", "AC", 24, "CP6000 installation" },
	{ "CT4000-CM", "AC", 24, "CT4000 commissioning and maintenance" },
	{ "CT4000-INS", "AC", 24, "CT4000 installation" },
	{ "CPF50-SVC", "AC", 24, "CPF25 and CPF50 service" },
	{ "CPE250-INS", "DC", 24, "Express 250 installation" },
	{ "CPE250-SVC", "DC", 12, "Express 250 service and repair" },
	{ "NACS-MC", "micro-credential", 12, "NACS connector retrofit" },
	{ "HV-SAFETY-MC", "micro-credential", 12, "High-voltage safety" },
};
/* certification names each work type requires, by work_types[] index */
static const char *required_certs[][2] = {
	{ "CT4000-CM", NULL }, { "CT4000-CM", NULL }, { "CT4000-CM", NULL }, { "CT4000-CM", NULL },
	{ "CT4000-INS", NULL }, { "CPE250-SVC", NULL }, { "CPE250-SVC", NULL }, { "CPE250-SVC", "HV-SAFETY-MC" },
	{ "CPE250-SVC", "NACS-MC" }, { "CPE250-SVC", NULL }, { "CPF50-SVC", NULL }, { "CPE250-SVC", NULL },
};
/* Who goes for which station family (0 AC CT4, 1 DC Express, 2 CPF), and
 * the certifications that make each of them qualified for it. */
static const int tech_for_family[3] = { 0, 1, 3 };
static const char *const family_certs[4][4] = {
	{ "CT4000-CM", "CT4000-INS", NULL }, { "CPE250-SVC", "CPE250-INS", "NACS-MC", "HV-SAFETY-MC" },
	{ NULL }, { "CPF50-SVC", NULL },
};
struct freelancer_def { const char *name, *email, *street, *city, *state, *zip; };
static const struct freelancer_def freelancers[] = {
	{ "Nora Boyle", "nboyle7300@example.net.invalid", "110 Church St.", "Broadway", "North Carolina", "27505" },
	{ "Victor Hale", "vhale2211@example.net.invalid", "42 Riverside Dr", "Jacksonville", "Florida", "32204" },
	{ "Priya Shah", "pshah5120@example.net.invalid", "9 Elm St", "Columbus", "Ohio", "43215" },
	{ "Marco Ruiz", "mruiz8841@example.net.invalid", "300 Peachtree St NE", "Atlanta", "Georgia", "30308" },
};

static const char *operator_people[] = { "Jonathan David Rajan", "Yuhui Anderson", "Priya Natarajan" };

/* Per thread: a bulk load runs the same generator in two threads, each
 * from the same state, one writing the work orders and one their rows in
 * other tables. */
static _Thread_local uint64_t rng_state;

static uint64_t
rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int
rn(int n)
{
	return (int)(rnd() % (uint64_t)n);
}

static void
brand_domain(const char *brand, char *out, size_t n)
{
	size_t o = 0;
	for (; *brand && o + 9 < n; brand++)
		if (isalnum((unsigned char)*brand))
			out[o++] = (char)tolower((unsigned char)*brand);
	snprintf(out + o, n - o, ".example");
}

static void
email_of(const char *name, const char *domain, char *out, size_t n)
{
	size_t o = 0;
	for (; *name && o + 2 < n; name++) {
		if (*name == ' ')
			out[o++] = '.';
		else if (isalnum((unsigned char)*name))
			out[o++] = (char)tolower((unsigned char)*name);
	}
	snprintf(out + o, n - o, "@%s", domain);
}

void
demo_print_logins(const char *brand)
{
	char dom[64];
	brand_domain(brand, dom, sizeof(dom));
	printf("Demo logins (password for all: %s)\n", DEMO_PASSWORD);
	printf("  %-26s operator@%s\n", "operator", dom);
	for (size_t i = 0; i < FW_ARRAY_LEN(partners); i++) {
		printf("  %-26s dispatch@%s\n", partners[i].name, partners[i].domain);
		printf("  %-26s admin@%s  (partner admin)\n", "", partners[i].domain);
	}
	printf("  %-26s joe.bradley@%s\n", "technician", partners[0].domain);
}

struct ctx {
	db_t *db;
	const struct demo_opts *o;
	char *err;
	size_t errlen;
	int64_t org_operator, org_partner[FW_ARRAY_LEN(partners)];
	int64_t cse[FW_ARRAY_LEN(operator_people)];
	int64_t terr_id[FW_ARRAY_LEN(territories)];
	int64_t ent_assure, ent_nonassure;
	int64_t wtype_id[FW_ARRAY_LEN(work_types)];
	int64_t cert_id[FW_ARRAY_LEN(certs)];
	int64_t partner_admin[FW_ARRAY_LEN(partners)];
	int64_t tech_id[FW_ARRAY_LEN(partners)][4];
	int naccounts;
	/* the hot inserts, prepared once */
	db_stmt *st_hist, *st_wo, *st_wos, *st_woli, *st_po, *st_asg, *st_fts, *st_fts_org, *st_count;
	int emit;   /* EMIT_*: which of a work order's rows this generator writes */
	int copy;   /* the hot inserts are bulk inserts (db_prep_bulk), owned here */
	struct acct_rt { int64_t id; char name[80], street[64], city[40], state[32], zip[8]; int terr;
		int64_t contact; int64_t stations[5]; int nstations; int station_family[5];
		const char *station_model[5]; } *accts;
};

/* On a bulk load, say on stderr how far it got and how long each step took:
 * a million work orders take a while, and a silent terminal looks hung. */
static void
phase(const struct ctx *c, const char *what)
{
	static double t0;
	struct timespec ts;
	if (c->o->work_orders <= BULK_THRESHOLD)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	double now = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	if (!t0)
		t0 = now;
	fprintf(stderr, "demo: %5.1f s  %s\n", now - t0, what);
}

enum { EMIT_WO = 1, EMIT_CHILDREN = 2, EMIT_ALL = 3, EMIT_SEARCH = 4 };

#define PREP(c, slot, sql) ((c)->slot ? (c)->slot : \
	((c)->slot = (c)->copy ? db_prep_bulk((c)->db, sql) : db_prep((c)->db, sql)))

static int
fail(struct ctx *c, const char *what)
{
	snprintf(c->err, c->errlen, "demo: %s: %s", what, db_errmsg(c->db));
	return -1;
}

static int
step_done(struct ctx *c, db_stmt *s, const char *what)
{
	int rc = s ? db_step(s) : DB_ERROR;
	db_done(s);
	return rc == DB_DONE ? 0 : fail(c, what);
}

static int
make_people(struct ctx *c)
{
	char dom[64], email[160], err[256];
	brand_domain(c->o->brand, dom, sizeof(dom));
	c->org_operator = org_add(c->db, c->o->brand, "operator", dom);
	if (c->org_operator < 0)
		return fail(c, "operator");
	snprintf(email, sizeof(email), "operator@%s", dom);
	if (user_add(c->db, c->org_operator, email, "Olivia Operations", "operator", DEMO_PASSWORD, err, sizeof(err)) < 0)
		goto uerr;
	db_stmt *t = db_prep(c->db, "INSERT INTO team(name, org_id) VALUES ('NA Field Service Team', ?1)"
	    " ON CONFLICT DO NOTHING");
	if (!t)
		return fail(c, "team");
	db_bind_int(t, 1, c->org_operator);
	if (step_done(c, t, "team"))
		return -1;
	for (size_t i = 0; i < FW_ARRAY_LEN(operator_people); i++) {
		email_of(operator_people[i], dom, email, sizeof(email));
		c->cse[i] = user_add(c->db, c->org_operator, email, operator_people[i], "operator", NULL, err, sizeof(err));
		if (c->cse[i] < 0)
			goto uerr;
		t = db_prep(c->db, "INSERT INTO team_member(team_id, user_id) SELECT id, ?1 FROM team"
		    " WHERE name = 'NA Field Service Team'");
		if (!t)
			return fail(c, "team member");
		db_bind_int(t, 1, c->cse[i]);
		if (step_done(c, t, "team member"))
			return -1;
	}
	for (size_t p = 0; p < FW_ARRAY_LEN(partners); p++) {
		const struct partner_def *d = &partners[p];
		c->org_partner[p] = org_add(c->db, d->name, "partner", d->domain);
		if (c->org_partner[p] < 0)
			return fail(c, "partner");
		/* the contracts' travel terms: 50 miles covered, a rate per mile
		 * (the Library's price list says 0.70 for the first company) */
		char miles[8] = "50", rate[8];
		snprintf(rate, sizeof(rate), "0.%02d", 70 - 5 * (int)(p % 3));
		if (org_set_travel(c->db, c->org_partner[p], miles, rate, err, sizeof(err)) != USER_OK)
			return fail(c, "partner travel terms");
		snprintf(email, sizeof(email), "admin@%s", d->domain);
		c->partner_admin[p] = user_add(c->db, c->org_partner[p], email, d->admin, "admin", DEMO_PASSWORD, err,
		    sizeof(err));
		if (c->partner_admin[p] < 0)
			goto uerr;
		snprintf(email, sizeof(email), "dispatch@%s", d->domain);
		if (user_add(c->db, c->org_partner[p], email, d->dispatcher, "dispatcher", DEMO_PASSWORD, err, sizeof(err)) < 0)
			goto uerr;
	}
	email_of(partners[0].techs[0], partners[0].domain, email, sizeof(email));
	if (user_add(c->db, c->org_partner[0], email, partners[0].techs[0], "technician", DEMO_PASSWORD, err, sizeof(err)) < 0)
		goto uerr;
	return 0;
uerr:
	snprintf(c->err, c->errlen, "demo: %s", err);
	return -1;
}

static int
make_reference(struct ctx *c)
{
	db_stmt *s;
	for (size_t i = 0; i < FW_ARRAY_LEN(territories); i++) {
		s = db_prep(c->db, "INSERT INTO territory(name, zone) VALUES (?1, ?2)");
		if (!s)
			return fail(c, "territory");
		db_bind_text(s, 1, territories[i].name);
		db_bind_text(s, 2, territories[i].zone);
		if (step_done(c, s, "territory"))
			return -1;
		c->terr_id[i] = db_last_id(c->db);
	}
	s = db_prep(c->db, "INSERT INTO entitlement(name, business_days) VALUES ('Repair SLA Assure', 1)");
	if (step_done(c, s, "entitlement"))
		return -1;
	c->ent_assure = db_last_id(c->db);
	s = db_prep(c->db, "INSERT INTO entitlement(name, business_days) VALUES ('Repair SLA NonAssure', 3)");
	if (step_done(c, s, "entitlement"))
		return -1;
	c->ent_nonassure = db_last_id(c->db);
	for (size_t i = 0; i < FW_ARRAY_LEN(work_types); i++) {
		s = db_prep(c->db, "INSERT INTO work_type(name) VALUES (?1)");
		if (!s)
			return fail(c, "work type");
		db_bind_text(s, 1, work_types[i].name);
		if (step_done(c, s, "work type"))
			return -1;
		c->wtype_id[i] = db_last_id(c->db);
	}
	return 0;
}

static int64_t
cert_by_name(struct ctx *c, const char *name)
{
	for (size_t i = 0; i < FW_ARRAY_LEN(certs); i++)
		if (!strcmp(certs[i].name, name))
			return c->cert_id[i];
	return 0;
}

static size_t
cert_index(const char *name)
{
	for (size_t i = 0; i < FW_ARRAY_LEN(certs); i++)
		if (!strcmp(certs[i].name, name))
			return i;
	return 0;   /* the table names only known certifications */
}

static int
give_cert(struct ctx *c, int64_t tech, size_t cert, int64_t earned_day)
{
	char earned[40], expires[40];
	int y, m, d;
	tz_civil_from_days(earned_day, &y, &m, &d);
	snprintf(earned, sizeof(earned), "%04d-%02d-%02d", y, m, d);
	m += certs[cert].months;
	y += (m - 1) / 12;
	m = (m - 1) % 12 + 1;
	snprintf(expires, sizeof(expires), "%04d-%02d-%02d", y, m, d > 28 ? 28 : d);
	db_stmt *s = db_prep(c->db, "INSERT INTO technician_certification(technician_id, certification_id,"
	    " earned_on, expires_on) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING");
	if (!s)
		return fail(c, "technician certification");
	db_bind_int(s, 1, tech);
	db_bind_int(s, 2, c->cert_id[cert]);
	db_bind_text(s, 3, earned);
	db_bind_text(s, 4, expires);
	return step_done(c, s, "technician certification");
}

static int64_t
add_technician(struct ctx *c, const char *name, const char *email, int64_t org, const char *street,
    const char *city, const char *state, const char *zip)
{
	char phone[20];
	snprintf(phone, sizeof(phone), "%d-%03d-%04d", 201 + rn(700), rn(1000), rn(10000));
	db_stmt *s = db_prep(c->db, "INSERT INTO technician(name, email, phone, street, city, state, postal_code, org_id,"
	    " user_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, (SELECT id FROM users WHERE email = ?2), ?9)");
	if (!s)
		return fail(c, "technician");
	db_bind_text(s, 1, name);
	db_bind_text(s, 2, email);
	db_bind_text(s, 3, phone);
	db_bind_text(s, 4, street);
	db_bind_text(s, 5, city);
	db_bind_text(s, 6, state);
	db_bind_text(s, 7, zip);
	if (org)
		db_bind_int(s, 8, org);
	int64_t joined = (c->o->epoch_day - 400 - rn(600)) * 86400;
	db_bind_int(s, 9, joined);
	if (step_done(c, s, "technician"))
		return -1;
	int64_t id = db_last_id(c->db);
	if (org) {
		s = db_prep(c->db, "INSERT INTO technician_membership(technician_id, org_id, joined_at) VALUES (?1, ?2, ?3)");
		if (!s)
			return fail(c, "membership");
		db_bind_int(s, 1, id);
		db_bind_int(s, 2, org);
		db_bind_int(s, 3, joined);
		if (step_done(c, s, "membership"))
			return -1;
	}
	return id;
}

static int
make_technicians(struct ctx *c)
{
	for (size_t i = 0; i < FW_ARRAY_LEN(certs); i++) {
		db_stmt *s = db_prep(c->db, "INSERT INTO certification(name, kind, validity_months, description)"
		    " VALUES (?1, ?2, ?3, ?4)");
		if (!s)
			return fail(c, "certification");
		db_bind_text(s, 1, certs[i].name);
		db_bind_text(s, 2, certs[i].kind);
		db_bind_int(s, 3, certs[i].months);
		db_bind_text(s, 4, certs[i].desc);
		if (step_done(c, s, "certification"))
			return -1;
		c->cert_id[i] = db_last_id(c->db);
	}
	for (size_t w = 0; w < FW_ARRAY_LEN(work_types); w++) {
		for (int k = 0; k < 2 && required_certs[w][k]; k++) {
			db_stmt *s = db_prep(c->db, "INSERT INTO work_type_certification(work_type_id, certification_id)"
			    " VALUES (?1, ?2)");
			if (!s)
				return fail(c, "work type certification");
			db_bind_int(s, 1, c->wtype_id[w]);
			db_bind_int(s, 2, cert_by_name(c, required_certs[w][k]));
			if (step_done(c, s, "work type certification"))
				return -1;
		}
	}
	int64_t today = c->o->epoch_day;
	for (size_t p = 0; p < FW_ARRAY_LEN(partners); p++) {
		const struct partner_def *d = &partners[p];
		for (int t = 0; t < 4; t++) {
			char email[160];
			email_of(d->techs[t], d->domain, email, sizeof(email));
			const char *(*city)[3] = &city_of_terr[p * 4];
			char street[64], zip[16];
			snprintf(street, sizeof(street), "%d %s", 100 + rn(9800), streets[rn((int)FW_ARRAY_LEN(streets))]);
			snprintf(zip, sizeof(zip), "%s%02d", (*city)[2], rn(99));
			int64_t id = add_technician(c, d->techs[t], email, c->org_partner[p], street, (*city)[0], (*city)[1], zip);
			if (id < 0)
				return -1;
			c->tech_id[p][t] = id;
			/* each company can staff every family with a certified
			 * technician (tech_for_family), valid for a year and more */
			for (size_t k = 0; k < FW_ARRAY_LEN(family_certs[t]) && family_certs[t][k]; k++)
				if (give_cert(c, id, cert_index(family_certs[t][k]), today - 60))
					return -1;
			if (p == 0) {
				/* the guide's WO Assignment screen: only Joshua Boone holds a
				 * required skill there; Joe Bradley is the certified one */
				if (t == 0 && (give_cert(c, id, 1, today - 200) || give_cert(c, id, 2, today - 300)))
					return -1;
				if (t == 2 && give_cert(c, id, 2, today - 100))
					return -1;
				continue;
			}
			int n = 1 + rn(3);
			for (int k = 0; k < n; k++)
				if (give_cert(c, id, (size_t)rn((int)FW_ARRAY_LEN(certs)), today - 30 - rn(900)))
					return -1;
		}
	}
	for (size_t f = 0; f < FW_ARRAY_LEN(freelancers); f++) {
		const struct freelancer_def *d = &freelancers[f];
		int64_t id = add_technician(c, d->name, d->email, 0, d->street, d->city, d->state, d->zip);
		if (id < 0)
			return -1;
		if (give_cert(c, id, 2, today - 60 - rn(300)) || give_cert(c, id, (size_t)rn((int)FW_ARRAY_LEN(certs)), today - rn(700)))
			return -1;
	}
	return 0;
}

static int
make_accounts(struct ctx *c)
{
	int extra = (int)(FW_ARRAY_LEN(acct_first) * FW_ARRAY_LEN(acct_second) / 2);
	c->naccounts = (int)FW_ARRAY_LEN(guide_accounts) + extra;
	c->accts = calloc((size_t)c->naccounts, sizeof(*c->accts));
	if (!c->accts)
		return fail(c, "out of memory");
	for (int i = 0; i < c->naccounts; i++) {
		struct acct_rt *a = &c->accts[i];
		if (i < (int)FW_ARRAY_LEN(guide_accounts)) {
			const struct acct *g = &guide_accounts[i];
			str_copy(a->name, g->name, sizeof(a->name));
			str_copy(a->street, g->street, sizeof(a->street));
			str_copy(a->city, g->city, sizeof(a->city));
			str_copy(a->state, g->state, sizeof(a->state));
			str_copy(a->zip, g->zip, sizeof(a->zip));
			a->terr = g->terr;
		} else {
			int k = (i - (int)FW_ARRAY_LEN(guide_accounts)) * 2 + 1;
			a->terr = rn((int)FW_ARRAY_LEN(territories));
			snprintf(a->name, sizeof(a->name), "%s %s", acct_first[k % FW_ARRAY_LEN(acct_first)],
			    acct_second[(k / FW_ARRAY_LEN(acct_first) + k) % FW_ARRAY_LEN(acct_second)]);
			snprintf(a->street, sizeof(a->street), "%d %s", 100 + rn(9800), streets[rn((int)FW_ARRAY_LEN(streets))]);
			str_copy(a->city, city_of_terr[a->terr][0], sizeof(a->city));
			str_copy(a->state, city_of_terr[a->terr][1], sizeof(a->state));
			snprintf(a->zip, sizeof(a->zip), "%s%02d", city_of_terr[a->terr][2], rn(99));
		}
		db_stmt *s = db_prep(c->db, "INSERT INTO account(name, street, city, state, postal_code)"
		    " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING");
		if (!s)
			return fail(c, "account");
		db_bind_text(s, 1, a->name);
		db_bind_text(s, 2, a->street);
		db_bind_text(s, 3, a->city);
		db_bind_text(s, 4, a->state);
		db_bind_text(s, 5, a->zip);
		if (step_done(c, s, "account"))
			return -1;
		if (db_changes(c->db) == 0) {   /* a generated name came twice */
			snprintf(a->name + strlen(a->name), sizeof(a->name) - strlen(a->name), " %d", i);
			i--;
			continue;
		}
		a->id = db_last_id(c->db);
		char cname[80], cemail[120], cphone[20];
		const char *fn = first_names[rn((int)FW_ARRAY_LEN(first_names))];
		const char *ln = last_names[rn((int)FW_ARRAY_LEN(last_names))];
		snprintf(cname, sizeof(cname), "%s %s", fn, ln);
		snprintf(cemail, sizeof(cemail), "%c%s%d@example.com.invalid", tolower((unsigned char)fn[0]), ln, 1000 + rn(9000));
		for (char *p = cemail; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		snprintf(cphone, sizeof(cphone), "(%d) %d-%04d", 201 + rn(700), 200 + rn(799), rn(10000));
		s = db_prep(c->db, "INSERT INTO contact(account_id, name, email, phone) VALUES (?1, ?2, ?3, ?4)");
		if (!s)
			return fail(c, "contact");
		db_bind_int(s, 1, a->id);
		db_bind_text(s, 2, cname);
		db_bind_text(s, 3, cemail);
		db_bind_text(s, 4, cphone);
		if (step_done(c, s, "contact"))
			return -1;
		a->contact = db_last_id(c->db);
		a->nstations = 1 + rn(4);
		char shortname[16];
		size_t sn = 0;
		for (const char *p = a->name; *p && sn < 12; p++)
			if (isalnum((unsigned char)*p) || (*p == ' ' && sn))
				shortname[sn++] = (char)toupper((unsigned char)*p);
		shortname[sn] = '\0';
		str_trim(shortname);
		for (int k = 0; k < a->nstations; k++) {
			int fam = rn(3);
			char name[64], serial[24], mac[24];
			snprintf(name, sizeof(name), "%s / %s", shortname, station_spots[(k + i) % FW_ARRAY_LEN(station_spots)]);
			snprintf(serial, sizeof(serial), "18%02d%08d", 30 + rn(10), rn(100000000));
			snprintf(mac, sizeof(mac), "0024-B100-%04X-%04X", rn(0x10000), rn(0x10000));
			s = db_prep(c->db, "INSERT INTO station(account_id, name, serial, mac, model, street, city, state, postal_code,"
			    " lat_e6, lon_e6) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
			if (!s)
				return fail(c, "station");
			db_bind_int(s, 1, a->id);
			db_bind_text(s, 2, name);
			db_bind_text(s, 3, serial);
			db_bind_text(s, 4, mac);
			const char *model = models[fam][rn(3)];
			db_bind_text(s, 5, model);
			db_bind_text(s, 6, a->street);
			db_bind_text(s, 7, a->city);
			db_bind_text(s, 8, a->state);
			db_bind_text(s, 9, a->zip);
			int64_t lat, lon;
			if (station_coords(a->city, a->id, k, &lat, &lon)) {
				db_bind_int(s, 10, lat);
				db_bind_int(s, 11, lon);
			}
			if (step_done(c, s, "station"))
				return -1;
			a->stations[k] = db_last_id(c->db);
			a->station_family[k] = fam;
			a->station_model[k] = model;
		}
	}
	return 0;
}

/* The statuses a work order passes through, in order, ending at its
 * current one. */
static int
status_path(const char *final, int parts, const char **out)
{
	static const char *with_parts[] = { "Assigned", "Ship-To Received", "Parts Ordered", "Shipping", "Shipped",
		"Parts Delivered", "In Progress", "Completed", "Closed" };
	static const char *without[] = { "Assigned", "In Progress", "Completed", "Closed" };
	const char **p = parts ? with_parts : without;
	int n = parts ? 9 : 4;
	int k = 0;
	const char *stop = final;
	if (!strcmp(final, "On Hold") || !strcmp(final, "Cannot Complete"))
		stop = "In Progress";
	else if (!strcmp(final, "Rejected"))
		stop = "Assigned";
	else if (!strcmp(final, "Cancelled"))
		stop = parts ? "Shipped" : "Assigned";
	for (int i = 0; i < n; i++) {
		out[k++] = p[i];
		if (!strcmp(p[i], stop))
			break;
	}
	if (strcmp(stop, final) != 0)
		out[k++] = final;
	return k;
}

static const char *
pick_status(int64_t age_days, int parts)
{
	struct w { const char *s; int w; };
	static const struct w old[] = { { "Closed", 70 }, { "Cancelled", 8 }, { "Cannot Complete", 5 },
		{ "Rejected", 3 }, { "Completed", 4 }, { "In Progress", 6 }, { "On Hold", 2 }, { "Shipped", 2 } };
	static const struct w mid[] = { { "Closed", 30 }, { "Completed", 15 }, { "In Progress", 20 }, { "Shipped", 6 },
		{ "On Hold", 6 }, { "Cancelled", 5 }, { "Cannot Complete", 4 }, { "Parts Delivered", 3 },
		{ "Shipping", 3 }, { "Rejected", 2 }, { "Assigned", 2 }, { "Parts Ordered", 2 }, { "Ship-To Received", 2 } };
	static const struct w fresh[] = { { "Assigned", 25 }, { "Ship-To Received", 12 }, { "Parts Ordered", 10 },
		{ "Shipping", 10 }, { "Shipped", 10 }, { "Parts Delivered", 5 }, { "In Progress", 18 }, { "On Hold", 3 },
		{ "Completed", 4 }, { "Rejected", 2 }, { "Cannot Complete", 1 } };
	const struct w *t = age_days > 45 ? old : age_days > 10 ? mid : fresh;
	int n = age_days > 45 ? (int)FW_ARRAY_LEN(old) : age_days > 10 ? (int)FW_ARRAY_LEN(mid) : (int)FW_ARRAY_LEN(fresh);
	int total = 0;
	for (int i = 0; i < n; i++)
		total += t[i].w;
	int x = rn(total);
	const char *s = t[n - 1].s;
	for (int i = 0; i < n; i++) {
		if (x < t[i].w) {
			s = t[i].s;
			break;
		}
		x -= t[i].w;
	}
	if (!parts && (!strcmp(s, "Ship-To Received") || !strcmp(s, "Parts Ordered") || !strcmp(s, "Shipping") ||
	    !strcmp(s, "Shipped") || !strcmp(s, "Parts Delivered")))
		s = "In Progress";
	return s;
}

static int
is_after(const char *status, const char *path[], int n, const char *milestone)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(path[i], milestone))
			return 1;
	(void)status;
	return 0;
}

static int
history(struct ctx *c, int64_t number, int seq, int64_t at, const char *field, const char *who, const char *o,
    const char *n)
{
	if (!(c->emit & EMIT_CHILDREN))
		return 0;
	db_stmt *s = PREP(c, st_hist, "INSERT INTO wo_history(wo_number, seq, at, field, user_label, old_value, new_value)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	if (!s)
		return fail(c, "history");
	db_bind_int(s, 1, number);
	db_bind_int(s, 2, seq);
	db_bind_int(s, 3, at);
	db_bind_text_ref(s, 4, field);
	db_bind_text_ref(s, 5, who);
	db_bind_text_ref(s, 6, o);
	db_bind_text_ref(s, 7, n);
	return step_done(c, s, "history");
}

/* Binds a work order's searched texts to S's ?1 (its number) to ?6.  This
 * function can't fail. */
static void
bind_search_texts(db_stmt *s, int64_t number, const char *case_no, const char *subject, const char *account,
    const char *territory, const char *work_type)
{
	db_bind_int(s, 1, number);
	db_bind_text_ref(s, 2, case_no);
	db_bind_text_ref(s, 3, subject);
	db_bind_text_ref(s, 4, account);
	db_bind_text_ref(s, 5, territory);
	db_bind_text_ref(s, 6, work_type);
}

/* The search index entry of a work order the other thread writes, and its
 * count by company and status (a bulk load's second thread does these
 * while the first builds the list indexes). */
static int
index_elsewhere(struct ctx *c, int64_t number, const char *case_no, const char *subject, const char *account,
    const char *territory, const char *work_type, int64_t org, const char *status)
{
	char company[32];
	snprintf(company, sizeof(company), "fwcompany%lld", (long long)org);
	db_stmt *s = PREP(c, st_fts, "INSERT INTO wo_fts(rowid, number, case_number, subject, account_name,"
	    " territory_name, work_type_name, search_company) VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	if (!s)
		return fail(c, "search index");
	bind_search_texts(s, number, case_no, subject, account, territory, work_type);
	db_bind_text_ref(s, 7, company);
	if (step_done(c, s, "search index"))
		return -1;
	s = PREP(c, st_fts_org, "INSERT INTO wo_fts_org(rowid, t) VALUES (?1, fw_scoped(?7, ?8, ?1, ?2, ?3, ?4, ?5, ?6))");
	if (!s)
		return fail(c, "search index");
	bind_search_texts(s, number, case_no, subject, account, territory, work_type);
	db_bind_int(s, 7, org);
	db_bind_int(s, 8, status_class(status));
	if (step_done(c, s, "search index"))
		return -1;
	/* as the wo_count_ins trigger would */
	s = PREP(c, st_count, "INSERT INTO wo_count(owner_org_id, status, n) VALUES (?1, ?2, 1)"
	    " ON CONFLICT(owner_org_id, status) DO UPDATE SET n = wo_count.n + 1");
	if (!s)
		return fail(c, "counts");
	db_bind_int(s, 1, org);
	db_bind_text_ref(s, 2, status);
	return step_done(c, s, "counts");
}

/* A work order's search words as PostgreSQL's search column holds them
 * (migrations/pg/016: its number, the texts split at every character that
 * is not a letter or digit, lowercased, and its company's token), in
 * tsvector's input form: 'word' 'word' ...  The demo's texts are ASCII.
 * This function can't fail: words past N are left out. */
static void
search_words(int64_t number, const char *const *parts, size_t nparts, int64_t org, char *out, size_t n)
{
	size_t o = (size_t)snprintf(out, n, "'%lld' 'fwcompany%lld'", (long long)number, (long long)org);
	for (size_t i = 0; i < nparts && o < n; i++) {
		for (const char *p = parts[i]; *p;) {
			if (!isalnum((unsigned char)*p)) {
				p++;
				continue;
			}
			if (o + 4 >= n)
				return;
			out[o++] = ' ';
			out[o++] = '\'';
			while (isalnum((unsigned char)*p) && o + 2 < n)
				out[o++] = (char)tolower((unsigned char)*p++);
			out[o++] = '\'';
			out[o] = '\0';
		}
	}
}

static int
make_work_order(struct ctx *c, long i, long n, const struct tz *central)
{
	const long span = 540;
	/* newer work orders are denser: the open ones cluster in recent weeks */
	double back = 1.0 - (double)i / (double)n;
	int64_t day = c->o->epoch_day - (int64_t)((double)span * back * back);
	int64_t age = c->o->epoch_day - day;
	int64_t number = 20088000 + i;
	struct acct_rt *a = &c->accts[rn(c->naccounts)];
	int st = rn(a->nstations);
	int fam = a->station_family[st];
	int wt;
	do
		wt = rn((int)FW_ARRAY_LEN(work_types));
	while (work_types[wt].family != fam);
	const struct wtype *w = &work_types[wt];
	int parts = w->parts;
	int install = strstr(w->name, "Install") != NULL;
	int assure = !install && rn(10) < 7;
	int64_t ent = install ? 0 : assure ? c->ent_assure : c->ent_nonassure;
	const char *ent_name = install ? "" : assure ? "Repair SLA Assure" : "Repair SLA NonAssure";
	int ent_days = assure ? 1 : 3;
	const char *status = pick_status(age, parts);
	const char *path[12];
	int np = status_path(status, parts, path);
	int64_t assigned = 0;
	{
		int y, m, d;
		tz_civil_from_days(day, &y, &m, &d);
		tz_local_to_utc(central, y, m, d, 7 + rn(11), rn(60), &assigned);
	}
	int partner = 0;
	for (size_t p = 0; p < FW_ARRAY_LEN(partners); p++)
		if (!strcmp(territories[a->terr].partner, partners[p].name))
			partner = (int)p;
	const char *model = a->station_model[st];
	char subject[200];
	const char *prefix = install ? (fam == 1 ? "NACS" : "Multifamily") : "Assure";
	if (rn(3) == 0)
		snprintf(subject, sizeof(subject), "%s - %s - %s (Ver %02d) - %lld", prefix, model, w->short_name,
		    1 + rn(30), (long long)number);
	else
		snprintf(subject, sizeof(subject), "%s-%s-%s - %lld", prefix, model, w->short_name, (long long)number);
	char case_no[24];
	snprintf(case_no, sizeof(case_no), "%lld", (long long)(14500000 + i * 7 + rn(7)));

	/* times along the path */
	int64_t t = assigned;
	int64_t est_delivery = 0, appointment = 0, arrive = 0, depart = 0, completed = 0, closed = 0;
	int64_t times[12];
	for (int k = 0; k < np; k++) {
		times[k] = t;
		t += 3600 * (2 + rn(30));
	}
	int64_t target_day = 0;
	if (parts && is_after(status, path, np, "Parts Ordered")) {
		est_delivery = assigned + 86400 * (3 + rn(4));
		target_day = sla_add_business_days(NULL, est_delivery / 86400, ent_days);
	} else if (!parts || !strcmp(status, "Assigned")) {
		target_day = sla_add_business_days(NULL, assigned / 86400, ent_days + (parts ? 5 : 2));
	}
	int64_t target = ent && target_day ? target_day * 86400 + 23 * 3600 : 0;
	int scheduled = is_after(status, path, np, "In Progress") || (parts && is_after(status, path, np, "Shipped") && rn(2));
	char tech_label[64] = "", tech_name[64] = "", tech_phone[20] = "", sched[12] = "";
	const char *delay = "";
	int tech = -1;
	if (scheduled) {
		int64_t base = est_delivery ? est_delivery : assigned;
		int late = rn(6) == 0;
		int64_t aday = base / 86400 + 1 + rn(late ? 9 : 2);
		int y, m, d;
		tz_civil_from_days(aday, &y, &m, &d);
		tz_local_to_utc(central, y, m, d, 8 + rn(7), rn(2) * 30, &appointment);
		if (target && appointment > target)
			delay = delay_reasons[rn((int)FW_ARRAY_LEN(delay_reasons))];
		tech = rn(4);   /* drawn still, so the rest of the data stays as it was */
		tech = tech_for_family[fam];
		str_copy(tech_label, partners[partner].techs[tech], sizeof(tech_label));
		str_copy(tech_name, partners[partner].techs[rn(4)], sizeof(tech_name));
		snprintf(tech_phone, sizeof(tech_phone), "%d-%03d-%04d", 201 + rn(700), rn(1000), rn(10000));
		tz_civil_from_days((base - 86400 * (1 + rn(2))) / 86400 + 1, &y, &m, &d);
		snprintf(sched, sizeof(sched), "%04d-%02d-%02d", y, m, d);
	}
	if (is_after(status, path, np, "Completed")) {
		arrive = appointment + 60 * rn(30);
		depart = arrive + 3600 * (1 + rn(4));
		completed = depart + 3600 * (1 + rn(20));
		for (int k = 0; k < np; k++) {
			if (!strcmp(path[k], "Completed"))
				times[k] = completed;
			if (!strcmp(path[k], "Closed"))
				times[k] = closed = completed + 86400 * (1 + rn(5));
		}
		/* work is not finished in the future: such an order is still in progress */
		int64_t now = c->o->epoch_day * 86400 + 12 * 3600;
		if (completed > now || closed > now) {
			status = "In Progress";
			np = status_path(status, parts, path);
			arrive = depart = completed = closed = 0;
			if (appointment && appointment < now)
				appointment = 0;
		}
	}
	for (int k = 1; k < np; k++)   /* and no step of the history lies ahead */
		if (times[k] > c->o->epoch_day * 86400 + 12 * 3600)
			times[k] = times[k - 1] + 60;
	/* accepted when the partner first moved it on from Assigned */
	int64_t accepted = 0;
	for (int k = 1; k < np && !accepted; k++)
		if (!strcmp(path[k - 1], "Assigned") && (!strcmp(path[k], "Ship-To Received") || !strcmp(path[k], "In Progress")))
			accepted = times[k];
	const char *reason = "";
	if (!strcmp(status, "Rejected"))
		reason = "Mismatched Work Requirements";
	else if (!strcmp(status, "Cancelled"))
		reason = rn(2) ? "Self-Resolved Issue" : "Customer Upgrades";
	else if (!strcmp(status, "Cannot Complete"))
		reason = (const char *[]){ "Wrong Equipment Shipped", "Physical Obstructions", "Incorrect Diagnosis" }[rn(3)];
	int64_t cse = c->cse[rn((int)FW_ARRAY_LEN(operator_people))];

	int total_stations = a->nstations > 1 && rn(3) == 0 ? a->nstations : 0;
	int site_validations = rn(5) == 0;
	/* Each generator of a bulk load writes its own kind of rows, but both
	 * draw every random number, so they stay in step. */
	int children = c->emit & EMIT_CHILDREN;
	db_stmt *s;
	if (c->emit & EMIT_WO) {
#define WO_INSERT_COLS "number, case_number, subject, account_id, account_name, territory_id, territory_name," \
	" status, assigned_at, entitlement_id, entitlement_name, appointment_at, work_type_id, work_type_name," \
	" owner_org_id, cse_user_id, target_sla_at, parts_needed, contact_id, total_stations, site_validations," \
	" site_street, site_city, site_state, site_postal_code, site_country, technician_label, technician_name," \
	" technician_phone, scheduling_completed, delay_reason, arrive_at, depart_at, completed_at, closed_at," \
	" status_reason, created_at, updated_at, accepted_at"
#define WO_INSERT_VALUES "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19," \
	" ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36, ?37, ?38, ?39"
		/* PostgreSQL's COPY also brings the search words (the trigger
		 * that would compute them is off for the load) */
		/* ... and SQLite's the class, which a trigger would otherwise
		 * write a second time (PostgreSQL's is generated) */
		s = PREP(c, st_wo, c->copy ? "INSERT INTO wo(" WO_INSERT_COLS ", search) VALUES (" WO_INSERT_VALUES ", ?40)"
		    : db_is_pg(c->db) ? "INSERT INTO wo(" WO_INSERT_COLS ") VALUES (" WO_INSERT_VALUES ")"
		    : "INSERT INTO wo(" WO_INSERT_COLS ", state_class) VALUES (" WO_INSERT_VALUES ", ?40)");
		if (!s)
			return fail(c, "work order");
		db_bind_int(s, 1, number);
		db_bind_text_ref(s, 2, case_no);
		db_bind_text_ref(s, 3, subject);
		db_bind_int(s, 4, a->id);
		db_bind_text_ref(s, 5, a->name);
		db_bind_int(s, 6, c->terr_id[a->terr]);
		db_bind_text_ref(s, 7, territories[a->terr].name);
		db_bind_text_ref(s, 8, status);
		db_bind_int(s, 9, assigned);
		if (ent)
			db_bind_int(s, 10, ent);
		db_bind_text_ref(s, 11, ent_name);
		db_bind_int(s, 12, appointment);
		db_bind_int(s, 13, c->wtype_id[wt]);
		db_bind_text_ref(s, 14, w->name);
		db_bind_int(s, 15, c->org_partner[partner]);
		db_bind_int(s, 16, cse);
		db_bind_int(s, 17, target);
		db_bind_int(s, 18, parts);
		db_bind_int(s, 19, a->contact);
		db_bind_int(s, 20, total_stations);
		db_bind_int(s, 21, site_validations);
		db_bind_text_ref(s, 22, a->street);
		db_bind_text_ref(s, 23, a->city);
		db_bind_text_ref(s, 24, a->state);
		db_bind_text_ref(s, 25, a->zip);
		db_bind_text_ref(s, 26, "United States");
		db_bind_text_ref(s, 27, tech_label);
		db_bind_text_ref(s, 28, tech_name);
		db_bind_text_ref(s, 29, tech_phone);
		db_bind_text_ref(s, 30, sched);
		db_bind_text_ref(s, 31, delay);
		db_bind_int(s, 32, arrive);
		db_bind_int(s, 33, depart);
		db_bind_int(s, 34, completed);
		db_bind_int(s, 35, closed);
		db_bind_text_ref(s, 36, reason);
		db_bind_int(s, 37, assigned);
		db_bind_int(s, 38, times[np - 1]);
		db_bind_int(s, 39, accepted);
		char words[1024];
		if (c->copy) {
			const char *texts[] = { case_no, subject, a->name, territories[a->terr].name, w->name };
			search_words(number, texts, FW_ARRAY_LEN(texts), c->org_partner[partner], words, sizeof(words));
			db_bind_text_ref(s, 40, words);
		} else if (!db_is_pg(c->db))
			db_bind_int(s, 40, status_class(status));
		if (step_done(c, s, "work order"))
			return -1;
	}
	if ((c->emit & EMIT_SEARCH) && index_elsewhere(c, number, case_no, subject, a->name, territories[a->terr].name,
	    w->name, c->org_partner[partner], status))
		return -1;
	if (tech >= 0 && children) {   /* the technician named on the work order is its assignment */
		s = PREP(c, st_asg, "INSERT INTO wo_assignment(wo_number, technician_id, method, assigned_by, assigned_at)"
		    " VALUES (?1, ?2, ?3, ?4, ?5)");
		if (!s)
			return fail(c, "assignment");
		db_bind_int(s, 1, number);
		db_bind_int(s, 2, c->tech_id[partner][tech]);
		db_bind_text_ref(s, 3, "Skills Match");
		db_bind_int(s, 4, c->partner_admin[partner]);
		db_bind_int(s, 5, assigned);
		if (step_done(c, s, "assignment"))
			return -1;
	}

	int nlines = 1 + (rn(4) == 0) + (rn(20) == 0);
	int done_all = completed != 0;
	if (children) {
		s = PREP(c, st_wos, "INSERT INTO wo_station(wo_number, seq, station_id) VALUES (?1, ?2, ?3)");
		if (!s)
			return fail(c, "wo station");
		db_bind_int(s, 1, number);
		db_bind_int(s, 2, 1);
		db_bind_int(s, 3, a->stations[st]);
		if (step_done(c, s, "wo station"))
			return -1;
		for (int k = 1; k <= nlines; k++) {
			static const char *extra[] = { "Site Validation", "Firmware Update", "Cable Management Inspection" };
			s = PREP(c, st_woli, "INSERT INTO woli(wo_number, line_number, work_type, station_id, warranty_type,"
			    " description, status, completed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
			if (!s)
				return fail(c, "woli");
			char desc[200];
			const char *lt = k == 1 ? w->name : extra[(k + i) % 3];
			snprintf(desc, sizeof(desc), "%s on %s. Follow the service guide for the %s.", lt, model, model);
			db_bind_int(s, 1, number);
			db_bind_int(s, 2, k);
			db_bind_text_ref(s, 3, lt);
			db_bind_int(s, 4, a->stations[st]);
			db_bind_text_ref(s, 5, assure ? "ChargePoint Assure" : "Standard Warranty");
			db_bind_text_ref(s, 6, desc);
			db_bind_text_ref(s, 7, done_all ? "Completed" : "New");
			db_bind_int(s, 8, done_all ? completed : 0);
			if (step_done(c, s, "woli"))
				return -1;
		}
	}
	const char *partner_name = partners[partner].name;
	const char *cse_name = operator_people[rn((int)FW_ARRAY_LEN(operator_people))];
	int seq = 0;
	for (int k = 1; k < np; k++) {
		const char *who = !strcmp(path[k], "Ship-To Received") || (!strcmp(path[k], "In Progress") && !parts) ||
		    !strcmp(path[k], "Completed") || !strcmp(path[k], "Rejected") || !strcmp(path[k], "Cannot Complete")
		    ? partner_name : !strcmp(path[k], "Shipping") || !strcmp(path[k], "Shipped") ||
		    !strcmp(path[k], "Parts Ordered") ? "SVC Integration" : cse_name;
		if (!strcmp(path[k], "Ship-To Received") && history(c, number, ++seq, times[k], "Shipping Address", who, "",
		    a->street))
			return -1;
		if (history(c, number, ++seq, times[k], "Status", who, path[k - 1], path[k]))
			return -1;
	}
	if (parts && est_delivery) {
		char ord[24], trk[32];
		snprintf(ord, sizeof(ord), "%08lld", (long long)(287000 + i));
		int ups = rn(2);
		if (ups)
			snprintf(trk, sizeof(trk), "1Z%03dX%02d%010d", rn(1000), rn(100), rn(1000000000));
		else
			snprintf(trk, sizeof(trk), "7%011d", rn(1000000000));
		int delivered = is_after(status, path, np, "Parts Delivered") || is_after(status, path, np, "In Progress");
		int64_t delivered_at = delivered ? est_delivery + 3600 * rn(30) : 0;
		if (!children)
			return 0;
		s = PREP(c, st_po, "INSERT INTO part_order(wo_number, order_number, order_class, created_at, carrier,"
		    " tracking, status, est_delivery, delivered_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
		if (!s)
			return fail(c, "part order");
		db_bind_int(s, 1, number);
		db_bind_text_ref(s, 2, ord);
		db_bind_text_ref(s, 3, "Assure Fulfillment Sales Order");
		db_bind_int(s, 4, assigned + 3600 * 4);
		db_bind_text_ref(s, 5, ups ? "UPS" : "FedEx");
		db_bind_text_ref(s, 6, trk);
		db_bind_text_ref(s, 7, delivered ? "Delivered" : is_after(status, path, np, "Shipped") ? "Shipped" : "Pending Fulfillment");
		db_bind_int(s, 8, est_delivery);
		db_bind_int(s, 9, delivered_at);
		if (step_done(c, s, "part order"))
			return -1;
	}
	return 0;
}

/* What every partner should find in its first week's demo: a work order
 * due today, one whose parts were delivered and that waits for an
 * appointment, On Hold ones whose clock stopped when they were held (and
 * overdue ones, which the generator makes).  A few rows changed after the
 * load.  0, or -1 with ERR. */
static int
make_scenarios(struct ctx *c, const struct tz *central)
{
	int y, m, d;
	int64_t due_today;
	tz_civil_from_days(c->o->epoch_day, &y, &m, &d);
	if (tz_local_to_utc(central, y, m, d, 23, 59, &due_today))
		due_today = c->o->epoch_day * 86400 + 86399;
	for (size_t p = 0; p < FW_ARRAY_LEN(partners); p++) {
		db_stmt *s = db_prep(c->db, "UPDATE wo SET target_sla_at = ?2 WHERE number = (SELECT number FROM wo"
		    " WHERE owner_org_id = ?1 AND status = 'In Progress' AND target_sla_at > 0 AND appointment_at = 0"
		    " ORDER BY number DESC LIMIT 1)");
		if (!s)
			return fail(c, "scenarios");
		db_bind_int(s, 1, c->org_partner[p]);
		db_bind_int(s, 2, due_today);
		if (step_done(c, s, "due today"))
			return -1;
		s = db_prep(c->db, "UPDATE wo SET appointment_at = 0, delay_reason = '' WHERE number = (SELECT number FROM wo"
		    " WHERE owner_org_id = ?1 AND status = 'Parts Delivered' ORDER BY number DESC LIMIT 1)");
		if (!s)
			return fail(c, "scenarios");
		db_bind_int(s, 1, c->org_partner[p]);
		if (step_done(c, s, "awaiting an appointment"))
			return -1;
	}
	return db_exec_script(c->db, "UPDATE wo SET hold_since = updated_at WHERE status = 'On Hold' AND hold_since = 0",
	    c->err, c->errlen);
}

/* A site whose chargers each needed their own RMA: seven part orders, so
 * that Related RMA / FSO shows the latest and View All the rest.  Run once
 * the part orders are in (SQLite's second thread copies them after the
 * commit).  0, or -1 with ERR. */
static int
make_many_part_orders(struct ctx *c)
{
	db_stmt *s = db_prep(c->db, "INSERT INTO part_order(wo_number, order_number, order_class, created_at, carrier,"
	    " tracking, status, est_delivery, delivered_at) SELECT p.wo_number, p.order_number || '-' || v.column1,"
	    " p.order_class, p.created_at + v.column1 * 3600, p.carrier, p.tracking || v.column1, p.status, p.est_delivery,"
	    " p.delivered_at FROM part_order p, (VALUES (1), (2), (3), (4), (5), (6)) AS v WHERE p.id = (SELECT min(id)"
	    " FROM part_order WHERE wo_number = (SELECT max(w.number) FROM wo w WHERE w.owner_org_id = ?1"
	    " AND w.status = 'In Progress' AND w.parts_needed = 1 AND EXISTS (SELECT 1 FROM part_order x"
	    " WHERE x.wo_number = w.number)))");
	if (!s)
		return fail(c, "scenarios");
	db_bind_int(s, 1, c->org_partner[0]);
	return step_done(c, s, "part orders");
}

/* A one-page PDF of LINES (ASCII) into B: the Library's demo documents
 * open in any viewer.  This function can't fail but for B's cap. */
static void
tiny_pdf(buf_t *b, const char *const *lines, size_t n)
{
	buf_t text;
	buf_init(&text, 8192);
	buf_puts(&text, "BT /F1 12 Tf 72 740 Td 16 TL\n");
	for (size_t i = 0; i < n; i++)
		buf_printf(&text, "(%s) '\n", lines[i]);
	buf_puts(&text, "ET\n");
	size_t off[6];
	buf_puts(b, "%PDF-1.4\n");
	off[1] = b->len;
	buf_puts(b, "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n");
	off[2] = b->len;
	buf_puts(b, "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n");
	off[3] = b->len;
	buf_puts(b, "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
	    " /Resources << /Font << /F1 5 0 R >> >> >> endobj\n");
	off[4] = b->len;
	buf_printf(b, "4 0 obj << /Length %zu >> stream\n%sendstream endobj\n", text.len, text.data);
	off[5] = b->len;
	buf_puts(b, "5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n");
	size_t xref = b->len;
	buf_puts(b, "xref\n0 6\n0000000000 65535 f \n");
	for (int i = 1; i <= 5; i++)
		buf_printf(b, "%010zu 00000 n \n", off[i]);
	buf_printf(b, "trailer << /Size 6 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", xref);
	buf_free(&text);
}

/* The Library's first documents, so that the Home page's cards lead
 * somewhere: a price list, an installation guide, the program document.
 * 0, or -1 with ERR. */
static int
make_library(struct ctx *c)
{
	static const struct { const char *title, *category, *version, *file, *lines[6]; } docs[] = {
		{ "Partner Price List 2026", "Price List", "v3", "partner-price-list-2026.pdf",
		  { "Partner Price List 2026", "Dispatch, per work order: USD 145.00",
		    "Travel beyond the covered 50 miles: USD 0.70 per mile", "Head replacement, CT4000: USD 210.00",
		    "Power module replacement, Express 250: USD 380.00", NULL } },
		{ "Installation Guide: Express 250", "Guide", "v2", "express-250-installation-guide.pdf",
		  { "Express 250 installation guide", "1. Check the site survey and the utility service.",
		    "2. Set the pedestal on the pad; torque the anchors to spec.", "3. Land the AC feed; verify phase rotation.",
		    "4. Commission with the CPE250-INS checklist.", NULL } },
		{ "O&M Partner Program", "Program Document", "v1", "om-partner-program.pdf",
		  { "O&M Partner Program", "Service levels: Repair SLA Assure, 1 business day after parts.",
		    "Repair SLA NonAssure: 3 business days.", "Scorecard: SLA hit rate, first-time fix.", NULL } },
	};
	struct user op;
	if (user_load(c->db, c->cse[0], &op))
		return fail(c, "library");
	int y, m, d;
	tz_civil_from_days(c->o->epoch_day - 20, &y, &m, &d);
	char day[16];
	snprintf(day, sizeof(day), "%04d-%02d-%02d", y, m, d);
	for (size_t i = 0; i < FW_ARRAY_LEN(docs); i++) {
		size_t n = 0;
		while (n < FW_ARRAY_LEN(docs[i].lines) && docs[i].lines[n])
			n++;
		buf_t pdf;
		buf_init(&pdf, 64 * 1024);
		tiny_pdf(&pdf, docs[i].lines, n);
		int64_t id;
		char msg[200];
		int rc = pdf.overflow ? LIB_ERROR : lib_add(c->db, &op, docs[i].title, docs[i].category, docs[i].version, day,
		    docs[i].file, pdf.data, pdf.len, &id, NULL, msg, sizeof(msg));
		buf_free(&pdf);
		if (rc != LIB_OK) {
			snprintf(c->err, c->errlen, "demo: library: %s", rc == LIB_BAD ? msg : db_errmsg(c->db));
			return -1;
		}
	}
	return 0;
}

/* Index and trigger definitions dropped for a bulk load, to restore. */
struct saved_sql { char **sql; size_t n; };

/* The tables a bulk load writes row by row on PostgreSQL. */
#define PG_BULK_TABLES "'wo', 'wo_station', 'woli', 'wo_history', 'part_order', 'wo_assignment'"

/* PostgreSQL's bulk load: the loaded tables' secondary indexes and
 * foreign keys go (one index build and one check each at the end beat
 * millions of row-by-row updates and lookups), as do the counters'
 * triggers on wo and wo_assignment (counted once at the end), all inside
 * the load's transaction. */
static int
pg_drop_for_bulk(struct ctx *c, struct saved_sql *sv)
{
	db_stmt *s = db_prep(c->db,
	    "SELECT 'DROP INDEX ' || quote_ident(i.indexname), i.indexdef FROM pg_indexes i"
	    " WHERE i.schemaname = current_schema() AND i.tablename IN (" PG_BULK_TABLES ")"
	    " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)"
	    " UNION ALL SELECT 'ALTER TABLE ' || k.conrelid::regclass::text || ' DROP CONSTRAINT ' || quote_ident(k.conname),"
	    " 'ALTER TABLE ' || k.conrelid::regclass::text || ' ADD CONSTRAINT ' || quote_ident(k.conname) || ' '"
	    " || pg_get_constraintdef(k.oid) FROM pg_constraint k"
	    " WHERE k.contype = 'f' AND k.conrelid::regclass::text IN (" PG_BULK_TABLES ")"
	    " UNION ALL SELECT 'ALTER TABLE wo DISABLE TRIGGER USER', 'ALTER TABLE wo ENABLE TRIGGER USER'"
	    " UNION ALL SELECT 'ALTER TABLE wo_assignment DISABLE TRIGGER USER', 'ALTER TABLE wo_assignment ENABLE TRIGGER USER'");
	if (!s)
		return fail(c, "schema");
	enum { MAX = 128 };
	char *drop[MAX];
	size_t n = 0;
	sv->sql = calloc(MAX, sizeof(char *));
	while (sv->sql && db_step(s) == DB_ROW && n < MAX) {
		drop[n] = strdup(db_col_text(s, 0));
		sv->sql[n] = strdup(db_col_text(s, 1));
		n++;
	}
	db_done(s);
	sv->n = n;
	int rc = sv->sql ? 0 : -1;
	for (size_t i = 0; i < n; i++) {
		if (!rc && (!drop[i] || !sv->sql[i] || db_exec_script(c->db, drop[i], c->err, c->errlen)))
			rc = -1;
		free(drop[i]);
	}
	if (!rc && db_exec_script(c->db, "SET LOCAL maintenance_work_mem = '512MB'", c->err, c->errlen))
		rc = -1;
	if (rc && !*c->err)
		snprintf(c->err, c->errlen, "demo: out of memory");
	return rc;
}

/* Sends the rows the bulk inserts still hold, the work orders first, and
 * ends them (SEND 0: drops them, after a failure).  0, or -1 with ERR. */
static int
end_copies(struct ctx *c, int send)
{
	db_stmt **slots[] = { &c->st_wo, &c->st_wos, &c->st_woli, &c->st_hist, &c->st_po, &c->st_asg };
	int rc = 0;
	if (!c->copy)
		return 0;
	for (size_t i = 0; i < FW_ARRAY_LEN(slots); i++) {
		if (db_bulk_end(*slots[i], send && !rc) && send && !rc)
			rc = fail(c, "copy");
		*slots[i] = NULL;
	}
	return rc;
}

static int
drop_for_bulk(struct ctx *c, struct saved_sql *sv)
{
	db_stmt *s = db_prep(c->db, "SELECT name, type, sql FROM sqlite_master WHERE sql IS NOT NULL AND"
	    " ((type = 'index' AND tbl_name IN ('wo', 'wo_row')) OR"
	    "  (type = 'trigger' AND name IN ('wo_fts_ins', 'wo_fts_org_ins', 'wo_count_ins', 'wo_pace_ins', 'wo_missed_ins')))");
	if (!s)
		return fail(c, "schema");
	char names[64][128];
	char types[64][8];
	size_t n = 0;
	sv->sql = calloc(64, sizeof(char *));
	while (db_step(s) == DB_ROW && n < 64) {
		str_copy(names[n], db_col_text(s, 0), sizeof(names[n]));
		str_copy(types[n], db_col_text(s, 1), sizeof(types[n]));
		sv->sql[n] = strdup(db_col_text(s, 2));
		n++;
	}
	db_done(s);
	sv->n = n;
	for (size_t i = 0; i < n; i++) {
		char sql[320];
		snprintf(sql, sizeof(sql), "DROP %s %.120s", !strcmp(types[i], "index") ? "INDEX" : "TRIGGER", names[i]);
		if (db_exec_script(c->db, sql, c->err, c->errlen))
			return -1;
	}
	return 0;
}

static int
restore_after_bulk(struct ctx *c, struct saved_sql *sv, int indexed_elsewhere)
{
	int rc = 0;
	for (size_t i = 0; i < sv->n; i++) {
		if (!rc && db_exec_script(c->db, sv->sql[i], c->err, c->errlen))
			rc = -1;
		free(sv->sql[i]);
	}
	free(sv->sql);
	if (rc)
		return -1;
	phase(c, "list indexes");
	if (indexed_elsewhere)
		return 0;
	if (db_exec_script(c->db, "DELETE FROM wo_count;"
	    "INSERT INTO wo_count(owner_org_id, status, n) SELECT owner_org_id, status, count(*) FROM wo GROUP BY 1, 2",
	    c->err, c->errlen))
		return -1;
	/* PostgreSQL's search column is computed as each row goes in */
	return db_is_pg(c->db) ? 0 : db_exec_script(c->db, "INSERT INTO wo_fts(wo_fts) VALUES ('rebuild');"
	    "INSERT INTO wo_fts_org(rowid, t) SELECT number, fw_scoped(owner_org_id, state_class, number, case_number,"
	    " subject, account_name, territory_name, work_type_name) FROM wo", c->err, c->errlen);
}

/* The second thread of a bulk load: the same generator, from the same
 * random state, writing every work order's rows in other tables (line
 * items, history, stations, part orders, assignments), then in a second
 * pass the search index entries and status counts, into a scratch database
 * of the same schema, while the first writes the work orders and builds
 * their indexes.  The main database then takes the tables over in one copy
 * each (SQLite's transfer of whole records and index entries; the search
 * index's own tables too, which the same migration made alike). */
struct loader {
	struct ctx c;
	const struct tz *central;
	uint64_t rng;
	char path[1024];
	char err[512];
	pthread_t thread;
	int started, rc;
	_Atomic int stop;   /* the first thread failed: give up */
};

/* The tables the loader fills, copied over in this order. */
static const char *const loader_tables[] = { "wo_station", "woli", "wo_history", "part_order", "wo_assignment",
	"wo_count", "wo_fts_data", "wo_fts_idx", "wo_fts_docsize", "wo_fts_org_data", "wo_fts_org_idx" };

static void
scratch_remove(const char *path)
{
	static const char *const ext[] = { "", "-journal", "-wal", "-shm" };
	char p[1100];
	for (size_t i = 0; i < FW_ARRAY_LEN(ext); i++) {
		snprintf(p, sizeof(p), "%s%s", path, ext[i]);
		unlink(p);
	}
}

static void *
loader_run(void *arg)
{
	struct loader *l = arg;
	db_t *db = NULL;
	l->rc = -1;
	scratch_remove(l->path);
	if (db_open(l->path, &db, l->err, sizeof(l->err)) || db_migrate(db, l->err, sizeof(l->err)) < 0 ||
	    db_exec_script(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA foreign_keys=OFF;"
	    " PRAGMA cache_size=-1000000;", l->err, sizeof(l->err)))
		goto done;
	l->c.db = db;
	l->c.err = l->err;
	l->c.errlen = sizeof(l->err);
	rng_state = l->rng;
	if (db_begin(db)) {
		fail(&l->c, "begin");
		goto done;
	}
	for (long i = 0; i < l->c.o->work_orders; i++)
		if (l->stop || make_work_order(&l->c, i, l->c.o->work_orders, l->central)) {
			db_rollback(db);
			goto done;
		}
	phase(&l->c, "line items, history, part orders (second thread)");
	/* again from the same start: the search index and the counts */
	rng_state = l->rng;
	l->c.emit = EMIT_SEARCH;
	for (long i = 0; i < l->c.o->work_orders; i++)
		if (l->stop || make_work_order(&l->c, i, l->c.o->work_orders, l->central)) {
			db_rollback(db);
			goto done;
		}
	if (db_commit(db)) {
		fail(&l->c, "commit");
		goto done;
	}
	phase(&l->c, "search index (second thread)");
	l->rc = 0;
done:
	db_close(db);   /* the statements cached in l->c belonged to it */
	return NULL;
}

/* Starts the loader on a copy of C (after the reference data, so it knows
 * every id), and turns C into the work-order-only generator.  Returns 0,
 * or -1 with a message in C's ERR. */
static int
loader_start(struct loader *l, struct ctx *c, const struct tz *central)
{
	l->c = *c;
	l->c.emit = EMIT_CHILDREN;
	l->c.st_hist = l->c.st_wo = l->c.st_wos = l->c.st_woli = l->c.st_po = l->c.st_asg = l->c.st_fts = l->c.st_fts_org = l->c.st_count = NULL;
	l->central = central;
	l->rng = rng_state;
	if ((size_t)snprintf(l->path, sizeof(l->path), "%s.load", c->o->path) >= sizeof(l->path)) {
		snprintf(c->err, c->errlen, "demo: the database path is too long");
		return -1;
	}
	if (pthread_create(&l->thread, NULL, loader_run, l)) {
		snprintf(c->err, c->errlen, "demo: cannot start a thread");
		return -1;
	}
	l->started = 1;
	c->emit = EMIT_WO;
	return 0;
}

/* Waits for the loader.  Returns 0, or -1 with its message in C's ERR. */
static int
loader_wait(struct loader *l, struct ctx *c)
{
	if (l->started) {
		pthread_join(l->thread, NULL);
		l->started = 0;
	}
	if (l->rc) {
		snprintf(c->err, c->errlen, "%s", l->err);
		scratch_remove(l->path);
		return -1;
	}
	return 0;
}

/* Copies the finished loader's tables into C's database (no transaction
 * open, foreign keys off) and removes the scratch file.  Returns 0, or -1
 * with a message in C's ERR. */
static int
loader_copy(struct loader *l, struct ctx *c)
{
	int rc = -1;
	db_stmt *s = db_prep(c->db, "ATTACH ?1 AS load");
	if (!s)
		goto fail;
	db_bind_text(s, 1, l->path);
	if (step_done(c, s, "attach"))
		goto done;
	if (db_begin(c->db))
		goto detach;
	for (size_t i = 0; i < FW_ARRAY_LEN(loader_tables); i++) {
		char sql[256];
		/* the search index's tables hold its empty structure: replaced */
		snprintf(sql, sizeof(sql), "DELETE FROM main.%s; INSERT INTO main.%s SELECT * FROM load.%s",
		    loader_tables[i], loader_tables[i], loader_tables[i]);
		if (db_exec_script(c->db, sql, c->err, c->errlen)) {
			db_rollback(c->db);
			goto detach;
		}
	}
	if (db_commit(c->db)) {
		fail(c, "commit");
		goto detach;
	}
	rc = 0;
detach:
	db_exec_script(c->db, "DETACH load", NULL, 0);
	goto done;
fail:
	fail(c, "attach");
done:
	scratch_remove(l->path);
	return rc;
}

int
demo_fill(db_t *db, const struct demo_opts *o, char *err, size_t errlen)
{
	struct ctx c = { .db = db, .o = o, .err = err, .errlen = errlen, .emit = EMIT_ALL };
	struct loader *l = NULL;
	db_stmt *s = db_prep(db, "SELECT count(*) FROM org");
	if (!s)
		return fail(&c, "org");
	int64_t orgs = db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
	db_done(s);
	if (orgs != 0) {
		snprintf(err, errlen, "the database already has data; demo data goes into a new database only");
		return -1;
	}
	const struct tz *central = tz_get("America/Chicago");
	if (!central)
		central = tz_utc();
	rng_state = o->seed;
	/* A bulk load on SQLite writes the other tables in a second thread into
	 * a second file (record transfer); on PostgreSQL one thread generates
	 * the rows while the server takes them in with COPY. */
	int bulk = o->work_orders > BULK_THRESHOLD;
	int pg = db_is_pg(db);
	struct saved_sql sv = { 0 };
	/* A new database filled in one go: no journal to speak of is needed
	 * (a failure leaves a file to delete), a big cache keeps the index
	 * builds in memory, and the generator's rows are consistent by
	 * construction (small loads keep the foreign key checks as a test). */
	if (bulk && !pg && db_exec_script(db, "PRAGMA journal_mode=MEMORY; PRAGMA synchronous=OFF;"
	    " PRAGMA cache_size=-2000000; PRAGMA foreign_keys=OFF;", err, errlen))
		return -1;
	if (db_begin(db))
		return fail(&c, "begin");
	phase(&c, "start");
	if (make_people(&c) || make_reference(&c) || make_technicians(&c) || make_accounts(&c) || make_library(&c))
		goto fail;
	if (bulk && (pg ? pg_drop_for_bulk(&c, &sv) : drop_for_bulk(&c, &sv)))
		goto fail;
	phase(&c, "reference data, accounts and technicians");
	c.copy = bulk && pg;
	if (bulk && !pg && o->path) {
		l = calloc(1, sizeof(*l));
		if (!l || loader_start(l, &c, central)) {
			if (!l)
				snprintf(err, errlen, "demo: out of memory");
			goto fail;
		}
	}
	for (long i = 0; i < o->work_orders; i++)
		if (make_work_order(&c, i, o->work_orders, central))
			goto fail;
	if (end_copies(&c, 1) || (o->work_orders >= 30 && make_scenarios(&c, central)))
		goto fail;
	phase(&c, "work orders");
	if (bulk && restore_after_bulk(&c, &sv, l != NULL))
		goto fail;
	if (l && loader_wait(l, &c))
		goto fail;
	if (db_commit(db))
		goto fail;
	phase(&c, "commit");
	if (l && loader_copy(l, &c))
		goto out;
	if (l)
		phase(&c, "line items, history, part orders copied in");
	if (o->work_orders >= 30 && make_many_part_orders(&c))
		goto out;
	/* the technicians' loads, the days to accept and to complete and the
	 * missed SLAs, counted once over what every path of the load left (a
	 * bulk load turns triggers off or copies tables whole) */
	if (db_exec_script(db, "DELETE FROM tech_load; INSERT INTO tech_load(owner_org_id, technician_id, n)"
	    " SELECT w.owner_org_id, a.technician_id, count(*) FROM wo_assignment a JOIN wo w ON w.number = a.wo_number"
	    " WHERE a.active = 1 AND w.state_class = 0 GROUP BY 1, 2;"
	    " DELETE FROM wo_pace_day; INSERT INTO wo_pace_day(owner_org_id, day, accepted_n, accepted_s, completed_n,"
	    " completed_s) SELECT owner_org_id, assigned_at / 86400, count(NULLIF(accepted_at, 0)),"
	    " COALESCE(SUM(CASE WHEN accepted_at > 0 THEN accepted_at - assigned_at END), 0), count(NULLIF(completed_at, 0)),"
	    " COALESCE(SUM(CASE WHEN completed_at > 0 THEN completed_at - assigned_at END), 0)"
	    " FROM wo WHERE accepted_at > 0 OR completed_at > 0 GROUP BY 1, 2;"
	    " DELETE FROM wo_missed_count; INSERT INTO wo_missed_count(owner_org_id, delay_reason, n)"
	    " SELECT owner_org_id, delay_reason, count(*) FROM wo WHERE state_class = 1 AND target_sla_at > 0"
	    " AND completed_at > target_sla_at GROUP BY 1, 2", err, errlen))
		goto out;
	/* statistics for the planner, from a sample on big tables */
	if (db_analyze(db, err, errlen))
		goto out;
	phase(&c, "statistics");
	free(c.accts);
	free(l);
	return 0;
fail:
	end_copies(&c, 0);
	db_rollback(db);
out:
	if (l && l->started) {
		l->stop = 1;
		pthread_join(l->thread, NULL);
		scratch_remove(l->path);
	}
	free(l);
	free(c.accts);
	return -1;
}
