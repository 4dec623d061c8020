/* demo_ref.c -- the demo's reference data: the operator's people, the
 * partner companies with their admins, dispatchers and technicians, the
 * territories, work types and certifications, the freelancers, and the
 * accounts with their contacts and stations (demo_int.h). */
#include "demo_int.h"
#include "auth.h"
#include "user.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct demo_terr demo_territories[] = {
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

const struct demo_wtype demo_work_types[] = {
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

const struct demo_partner demo_partners[] = {
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
_Static_assert(FW_ARRAY_LEN(certs) == DEMO_CERTS, "a context has a slot per certification");
/* certification names each work type requires, by demo_work_types[] index */
static const char *required_certs[][2] = {
	{ "CT4000-CM", NULL }, { "CT4000-CM", NULL }, { "CT4000-CM", NULL }, { "CT4000-CM", NULL },
	{ "CT4000-INS", NULL }, { "CPE250-SVC", NULL }, { "CPE250-SVC", NULL }, { "CPE250-SVC", "HV-SAFETY-MC" },
	{ "CPE250-SVC", "NACS-MC" }, { "CPE250-SVC", NULL }, { "CPF50-SVC", NULL }, { "CPE250-SVC", NULL },
};
/* Who goes for which station family (0 AC CT4, 1 DC Express, 2 CPF), and
 * the certifications that make each of them qualified for it. */
const int demo_tech_for_family[3] = { 0, 1, 3 };
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

const char *const demo_operator_people[] = { "Jonathan David Rajan", "Yuhui Anderson", "Priya Natarajan" };
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
	for (size_t i = 0; i < FW_ARRAY_LEN(demo_partners); i++) {
		printf("  %-26s dispatch@%s\n", demo_partners[i].name, demo_partners[i].domain);
		printf("  %-26s admin@%s  (partner admin)\n", "", demo_partners[i].domain);
	}
	printf("  %-26s joe.bradley@%s\n", "technician", demo_partners[0].domain);
}

int
demo_ref_people(struct demo_ctx *c)
{
	char dom[64], email[160], err[256];
	brand_domain(c->o->brand, dom, sizeof(dom));
	c->org_operator = org_add(c->db, c->o->brand, "operator", dom);
	if (c->org_operator < 0)
		return demo_fail(c, "operator");
	snprintf(email, sizeof(email), "operator@%s", dom);
	if (user_add(c->db, c->org_operator, email, "Olivia Operations", "operator", DEMO_PASSWORD, err, sizeof(err)) < 0)
		goto uerr;
	db_stmt *t = db_prep(c->db, "INSERT INTO team(name, org_id) VALUES ('NA Field Service Team', ?1)"
	    " ON CONFLICT DO NOTHING");
	if (!t)
		return demo_fail(c, "team");
	db_bind_int(t, 1, c->org_operator);
	if (demo_step_done(c, t, "team"))
		return -1;
	for (size_t i = 0; i < FW_ARRAY_LEN(demo_operator_people); i++) {
		email_of(demo_operator_people[i], dom, email, sizeof(email));
		c->cse[i] = user_add(c->db, c->org_operator, email, demo_operator_people[i], "operator", NULL, err, sizeof(err));
		if (c->cse[i] < 0)
			goto uerr;
		t = db_prep(c->db, "INSERT INTO team_member(team_id, user_id) SELECT id, ?1 FROM team"
		    " WHERE name = 'NA Field Service Team'");
		if (!t)
			return demo_fail(c, "team member");
		db_bind_int(t, 1, c->cse[i]);
		if (demo_step_done(c, t, "team member"))
			return -1;
	}
	for (size_t p = 0; p < FW_ARRAY_LEN(demo_partners); p++) {
		const struct demo_partner *d = &demo_partners[p];
		c->org_partner[p] = org_add(c->db, d->name, "partner", d->domain);
		if (c->org_partner[p] < 0)
			return demo_fail(c, "partner");
		/* the contracts' travel terms: 50 miles covered, a rate per mile
		 * (the Library's price list says 0.70 for the first company) */
		char miles[8] = "50", rate[8];
		snprintf(rate, sizeof(rate), "0.%02d", 70 - 5 * (int)(p % 3));
		if (org_set_travel(c->db, c->org_partner[p], miles, rate, err, sizeof(err)) != USER_OK)
			return demo_fail(c, "partner travel terms");
		snprintf(email, sizeof(email), "admin@%s", d->domain);
		c->partner_admin[p] = user_add(c->db, c->org_partner[p], email, d->admin, "admin", DEMO_PASSWORD, err,
		    sizeof(err));
		if (c->partner_admin[p] < 0)
			goto uerr;
		snprintf(email, sizeof(email), "dispatch@%s", d->domain);
		if (user_add(c->db, c->org_partner[p], email, d->dispatcher, "dispatcher", DEMO_PASSWORD, err, sizeof(err)) < 0)
			goto uerr;
	}
	email_of(demo_partners[0].techs[0], demo_partners[0].domain, email, sizeof(email));
	if (user_add(c->db, c->org_partner[0], email, demo_partners[0].techs[0], "technician", DEMO_PASSWORD, err, sizeof(err)) < 0)
		goto uerr;
	return 0;
uerr:
	snprintf(c->err, c->errlen, "demo: %s", err);
	return -1;
}

int
demo_ref_reference(struct demo_ctx *c)
{
	db_stmt *s;
	for (size_t i = 0; i < FW_ARRAY_LEN(demo_territories); i++) {
		s = db_prep(c->db, "INSERT INTO territory(name, zone) VALUES (?1, ?2)");
		if (!s)
			return demo_fail(c, "territory");
		db_bind_text(s, 1, demo_territories[i].name);
		db_bind_text(s, 2, demo_territories[i].zone);
		if (demo_step_done(c, s, "territory"))
			return -1;
		c->terr_id[i] = db_last_id(c->db);
	}
	s = db_prep(c->db, "INSERT INTO entitlement(name, business_days) VALUES ('Repair SLA Assure', 1)");
	if (demo_step_done(c, s, "entitlement"))
		return -1;
	c->ent_assure = db_last_id(c->db);
	s = db_prep(c->db, "INSERT INTO entitlement(name, business_days) VALUES ('Repair SLA NonAssure', 3)");
	if (demo_step_done(c, s, "entitlement"))
		return -1;
	c->ent_nonassure = db_last_id(c->db);
	for (size_t i = 0; i < FW_ARRAY_LEN(demo_work_types); i++) {
		s = db_prep(c->db, "INSERT INTO work_type(name) VALUES (?1)");
		if (!s)
			return demo_fail(c, "work type");
		db_bind_text(s, 1, demo_work_types[i].name);
		if (demo_step_done(c, s, "work type"))
			return -1;
		c->wtype_id[i] = db_last_id(c->db);
	}
	return 0;
}

static int64_t
cert_by_name(struct demo_ctx *c, const char *name)
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
give_cert(struct demo_ctx *c, int64_t tech, size_t cert, int64_t earned_day)
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
		return demo_fail(c, "technician certification");
	db_bind_int(s, 1, tech);
	db_bind_int(s, 2, c->cert_id[cert]);
	db_bind_text(s, 3, earned);
	db_bind_text(s, 4, expires);
	return demo_step_done(c, s, "technician certification");
}

static int64_t
add_technician(struct demo_ctx *c, const char *name, const char *email, int64_t org, const char *street,
    const char *city, const char *state, const char *zip)
{
	char phone[20];
	snprintf(phone, sizeof(phone), "%d-%03d-%04d", 201 + demo_rn(700), demo_rn(1000), demo_rn(10000));
	db_stmt *s = db_prep(c->db, "INSERT INTO technician(name, email, phone, street, city, state, postal_code, org_id,"
	    " user_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, (SELECT id FROM users WHERE email = ?2), ?9)");
	if (!s)
		return demo_fail(c, "technician");
	db_bind_text(s, 1, name);
	db_bind_text(s, 2, email);
	db_bind_text(s, 3, phone);
	db_bind_text(s, 4, street);
	db_bind_text(s, 5, city);
	db_bind_text(s, 6, state);
	db_bind_text(s, 7, zip);
	if (org)
		db_bind_int(s, 8, org);
	int64_t joined = (c->o->epoch_day - 400 - demo_rn(600)) * 86400;
	db_bind_int(s, 9, joined);
	if (demo_step_done(c, s, "technician"))
		return -1;
	int64_t id = db_last_id(c->db);
	if (org) {
		s = db_prep(c->db, "INSERT INTO technician_membership(technician_id, org_id, joined_at) VALUES (?1, ?2, ?3)");
		if (!s)
			return demo_fail(c, "membership");
		db_bind_int(s, 1, id);
		db_bind_int(s, 2, org);
		db_bind_int(s, 3, joined);
		if (demo_step_done(c, s, "membership"))
			return -1;
	}
	return id;
}

int
demo_ref_technicians(struct demo_ctx *c)
{
	for (size_t i = 0; i < FW_ARRAY_LEN(certs); i++) {
		db_stmt *s = db_prep(c->db, "INSERT INTO certification(name, kind, validity_months, description)"
		    " VALUES (?1, ?2, ?3, ?4)");
		if (!s)
			return demo_fail(c, "certification");
		db_bind_text(s, 1, certs[i].name);
		db_bind_text(s, 2, certs[i].kind);
		db_bind_int(s, 3, certs[i].months);
		db_bind_text(s, 4, certs[i].desc);
		if (demo_step_done(c, s, "certification"))
			return -1;
		c->cert_id[i] = db_last_id(c->db);
	}
	for (size_t w = 0; w < FW_ARRAY_LEN(demo_work_types); w++) {
		for (int k = 0; k < 2 && required_certs[w][k]; k++) {
			db_stmt *s = db_prep(c->db, "INSERT INTO work_type_certification(work_type_id, certification_id)"
			    " VALUES (?1, ?2)");
			if (!s)
				return demo_fail(c, "work type certification");
			db_bind_int(s, 1, c->wtype_id[w]);
			db_bind_int(s, 2, cert_by_name(c, required_certs[w][k]));
			if (demo_step_done(c, s, "work type certification"))
				return -1;
		}
	}
	int64_t today = c->o->epoch_day;
	for (size_t p = 0; p < FW_ARRAY_LEN(demo_partners); p++) {
		const struct demo_partner *d = &demo_partners[p];
		for (int t = 0; t < 4; t++) {
			char email[160];
			email_of(d->techs[t], d->domain, email, sizeof(email));
			const char *(*city)[3] = &city_of_terr[p * 4];
			char street[64], zip[16];
			snprintf(street, sizeof(street), "%d %s", 100 + demo_rn(9800), streets[demo_rn((int)FW_ARRAY_LEN(streets))]);
			snprintf(zip, sizeof(zip), "%s%02d", (*city)[2], demo_rn(99));
			int64_t id = add_technician(c, d->techs[t], email, c->org_partner[p], street, (*city)[0], (*city)[1], zip);
			if (id < 0)
				return -1;
			c->tech_id[p][t] = id;
			/* each company can staff every family with a certified
			 * technician (demo_tech_for_family), valid for a year and more */
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
			int n = 1 + demo_rn(3);
			for (int k = 0; k < n; k++)
				if (give_cert(c, id, (size_t)demo_rn((int)FW_ARRAY_LEN(certs)), today - 30 - demo_rn(900)))
					return -1;
		}
	}
	for (size_t f = 0; f < FW_ARRAY_LEN(freelancers); f++) {
		const struct freelancer_def *d = &freelancers[f];
		int64_t id = add_technician(c, d->name, d->email, 0, d->street, d->city, d->state, d->zip);
		if (id < 0)
			return -1;
		if (give_cert(c, id, 2, today - 60 - demo_rn(300)) || give_cert(c, id, (size_t)demo_rn((int)FW_ARRAY_LEN(certs)), today - demo_rn(700)))
			return -1;
	}
	return 0;
}

int
demo_ref_accounts(struct demo_ctx *c)
{
	int extra = (int)(FW_ARRAY_LEN(acct_first) * FW_ARRAY_LEN(acct_second) / 2);
	c->naccounts = (int)FW_ARRAY_LEN(guide_accounts) + extra;
	c->accts = calloc((size_t)c->naccounts, sizeof(*c->accts));
	if (!c->accts)
		return demo_fail(c, "out of memory");
	for (int i = 0; i < c->naccounts; i++) {
		struct demo_acct *a = &c->accts[i];
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
			a->terr = demo_rn((int)FW_ARRAY_LEN(demo_territories));
			snprintf(a->name, sizeof(a->name), "%s %s", acct_first[k % FW_ARRAY_LEN(acct_first)],
			    acct_second[(k / FW_ARRAY_LEN(acct_first) + k) % FW_ARRAY_LEN(acct_second)]);
			snprintf(a->street, sizeof(a->street), "%d %s", 100 + demo_rn(9800), streets[demo_rn((int)FW_ARRAY_LEN(streets))]);
			str_copy(a->city, city_of_terr[a->terr][0], sizeof(a->city));
			str_copy(a->state, city_of_terr[a->terr][1], sizeof(a->state));
			snprintf(a->zip, sizeof(a->zip), "%s%02d", city_of_terr[a->terr][2], demo_rn(99));
		}
		db_stmt *s = db_prep(c->db, "INSERT INTO account(name, street, city, state, postal_code)"
		    " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING");
		if (!s)
			return demo_fail(c, "account");
		db_bind_text(s, 1, a->name);
		db_bind_text(s, 2, a->street);
		db_bind_text(s, 3, a->city);
		db_bind_text(s, 4, a->state);
		db_bind_text(s, 5, a->zip);
		if (demo_step_done(c, s, "account"))
			return -1;
		if (db_changes(c->db) == 0) {   /* a generated name came twice */
			snprintf(a->name + strlen(a->name), sizeof(a->name) - strlen(a->name), " %d", i);
			i--;
			continue;
		}
		a->id = db_last_id(c->db);
		char cname[80], cemail[120], cphone[20];
		const char *fn = first_names[demo_rn((int)FW_ARRAY_LEN(first_names))];
		const char *ln = last_names[demo_rn((int)FW_ARRAY_LEN(last_names))];
		snprintf(cname, sizeof(cname), "%s %s", fn, ln);
		snprintf(cemail, sizeof(cemail), "%c%s%d@example.com.invalid", tolower((unsigned char)fn[0]), ln, 1000 + demo_rn(9000));
		for (char *p = cemail; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		snprintf(cphone, sizeof(cphone), "(%d) %d-%04d", 201 + demo_rn(700), 200 + demo_rn(799), demo_rn(10000));
		s = db_prep(c->db, "INSERT INTO contact(account_id, name, email, phone) VALUES (?1, ?2, ?3, ?4)");
		if (!s)
			return demo_fail(c, "contact");
		db_bind_int(s, 1, a->id);
		db_bind_text(s, 2, cname);
		db_bind_text(s, 3, cemail);
		db_bind_text(s, 4, cphone);
		if (demo_step_done(c, s, "contact"))
			return -1;
		a->contact = db_last_id(c->db);
		a->nstations = 1 + demo_rn(4);
		char shortname[16];
		size_t sn = 0;
		for (const char *p = a->name; *p && sn < 12; p++)
			if (isalnum((unsigned char)*p) || (*p == ' ' && sn))
				shortname[sn++] = (char)toupper((unsigned char)*p);
		shortname[sn] = '\0';
		str_trim(shortname);
		for (int k = 0; k < a->nstations; k++) {
			int fam = demo_rn(3);
			char name[64], serial[24], mac[24];
			snprintf(name, sizeof(name), "%s / %s", shortname, station_spots[(k + i) % FW_ARRAY_LEN(station_spots)]);
			snprintf(serial, sizeof(serial), "18%02d%08d", 30 + demo_rn(10), demo_rn(100000000));
			snprintf(mac, sizeof(mac), "0024-B100-%04X-%04X", demo_rn(0x10000), demo_rn(0x10000));
			s = db_prep(c->db, "INSERT INTO station(account_id, name, serial, mac, model, street, city, state, postal_code,"
			    " lat_e6, lon_e6) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
			if (!s)
				return demo_fail(c, "station");
			db_bind_int(s, 1, a->id);
			db_bind_text(s, 2, name);
			db_bind_text(s, 3, serial);
			db_bind_text(s, 4, mac);
			const char *model = models[fam][demo_rn(3)];
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
			if (demo_step_done(c, s, "station"))
				return -1;
			a->stations[k] = db_last_id(c->db);
			a->station_family[k] = fam;
			a->station_model[k] = model;
		}
	}
	return 0;
}
