/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-test-seed.h — fills a cache as a sync would, without the network, for the CLI and UI tests. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A temporary folder and the path of a cache in it (not created): a CLI test's fixture. */
typedef struct {
  char *dir;
  char *db;
} CliDbFixture;

void cli_db_fixture_setup    (CliDbFixture *f, gconstpointer data);
void cli_db_fixture_teardown (CliDbFixture *f, gconstpointer data);

#define SEED_CONTOSO_TENANT   "11111111-1111-4111-8111-111111111111"
#define SEED_FABRIKAM_TENANT  "22222222-2222-4222-8222-222222222222"
#define SEED_NORTHWIND_TENANT "33333333-3333-4333-8333-333333333333"

/* Three Partner Center customers through one complete sync run: Contoso Ltd (DE, complete
 * bill-to, contoso.com, city Köln), Fabrikam Inc (US, no postal code: incomplete) and
 * Northwind Oy (FI, complete). */
void seed_synced_customers (const char *db_path);
/* After seed_synced_customers: a retry run (PD_SYNC_KIND_RETRY) that read one of its customers
 * (tenant_id) again, complete, as `sync --retry-failed` records it. */
void seed_retry_of         (const char *db_path,
                            const char *tenant_id);
/* The first sync of an empty cache stopped after storing Contoso Ltd (as when it is killed):
 * its search index is built by the next sync. */
void seed_first_sync_stopped (const char *db_path);
/* The same with a second customer named Contoso Ltd (another tenant, contoso.de): a possible
 * duplicate whose flag the stopped run left for its end. */
void seed_first_sync_stopped_with_twin (const char *db_path);
/* A full sync run of a cache that has customers stopped after storing one more (this tenant
 * and name; as when it is killed): the duplicate flags wait for the next run's end. */
void seed_sync_stopped_after_one (const char *db_path,
                                  const char *tenant_id,
                                  const char *name);
/* n Partner Center customers ("Customer 000000"…, all alike but for the name) in one sync run:
 * a cache whose export takes a moment. */
void seed_many_customers (const char *db_path,
                          guint       n);
/* Marks a tenant removed from Partner Center, as an incremental sync would. */
void seed_mark_removed     (const char *db_path,
                            const char *tenant_id);

/* One more Partner Center customer, as Partner Center has it, in country with postal_code. */
void seed_customer_in      (const char *db_path,
                            const char *tenant_id,
                            const char *name,
                            const char *domain,
                            const char *country,
                            const char *postal_code);
/* One more Partner Center customer (domain example.net, FI, complete bill-to) with this name,
 * stored outside a run. */
void seed_customer_named   (const char *db_path,
                            const char *tenant_id,
                            const char *name);

/* One more Partner Center customer (as seed_customer_named) that belongs to an indirect
 * reseller. */
void seed_customer_of_reseller (const char *db_path,
                                const char *tenant_id,
                                const char *name,
                                const char *reseller_id,
                                const char *reseller_name);
/* Moves every recorded currency change (and its effective date) `days` into the past, as if
 * it had been made then. */
void seed_age_currency_changes (const char *db_path,
                                int         days);
/* Ages the cache a minute, straight in its file (the store has no such setter): the sync runs
 * and every read time. The cache keeps seconds: a read within the second a run ended would
 * count as before its end. */
void seed_age_cache_a_minute   (const char *db_path);
/* Marks the cache as the app's demo mode does. */
void seed_mark_demo            (const char *db_path);
/* A customer Partner Center listed whose bill-to could not be read (reason), as a sync stores
 * it. */
void seed_unreadable       (const char *db_path,
                            const char *tenant_id,
                            const char *name,
                            const char *domain,
                            const char *reason);
/* The latest read of a cached customer's bill-to failed (reason); it keeps what it had. */
void seed_read_failed      (const char *db_path,
                            const char *tenant_id,
                            const char *reason);
/* Microsoft's account verification of tenant_id answered Under review (as after a push that
 * changed its address), now. */
void seed_account_under_review (const char *db_path,
                                const char *tenant_id);

G_END_DECLS
