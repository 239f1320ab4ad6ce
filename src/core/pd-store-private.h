/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-store-private.h — what the files of the store (src/core/pd-store*.c) share: the object's
 * struct, row macros and types, and the helpers one file defines for another. Not part of the
 * public contract; included only by src/core/pd-store*.c, and by tests for
 * pd_store_is_read_only. */
#pragma once

#include <sqlite3.h>

#include "pd-store.h"

G_BEGIN_DECLS

typedef struct _PdSearchTokenizer PdSearchTokenizer;
typedef struct _PdSearchMatcher PdSearchMatcher;
typedef struct _PdSearchSample PdSearchSample;
typedef struct _PdWordHitsCache PdWordHitsCache;
/* A tokenizer's token callback (fts5_tokenizer.xTokenize's). */
typedef int (*PdTokenCallback) (void *ctx, int flags, const char *token, int n_token,
                                int start, int end);

struct _PdStore
{
  GObject         parent_instance;

  char           *path;
  sqlite3        *db;
  GHashTable     *statements;   /* static SQL (by address) → sqlite3_stmt*, prepared once */
  GHashTable     *dynamic_statements;  /* built SQL (by text) → sqlite3_stmt* */
  PdCountryRules *rules;
  char           *rules_digest_seen; /* the file's country-rules-digest as rules were loaded */
  int             schema_version;
  gboolean        read_only;    /* opened read-only: the file or its folder is not writable */

  /* Organizations whose full-text entry is rewritten at commit: id (gint64*) → the search_text
   * the index holds for it (NULL: none). FTS5 flushes its pending index data at every statement
   * savepoint; queued to the end of the transaction, a batch of 500 is indexed in one go. */
  GHashTable     *pending_fts;
  /* While this store runs a first sync, rows are left out of the full-text index, which its
   * end builds at once (_pd_store_complete_fts, pd-store-runs.c). */
  gboolean        fts_deferred;

  /* A name or domain key changed in this transaction: the duplicate flags are recomputed
   * before commit (_pd_store_settle_dups), or at the end of the sync run when defer_dups.
   * stale_keys (name keys, domain keys) are the groups that gained or lost a member;
   * dups_stale_all when they are too many to look at one by one, or unknown. */
  gboolean        dups_stale;
  gboolean        dups_stale_all;
  GHashTable     *stale_keys[2];
  gboolean        defer_dups;

  /* org_search's tokenizer, to match rows one by one (pd-store-index.c); made once. */
  PdSearchTokenizer *tokenizer;
  gboolean        tokenizer_failed;
  /* Words of a sample of organizations, to tell how many a search word matches before asking
   * the index (pd-store-words.c); remade when the cache's size changed much. */
  PdSearchSample *search_sample;
  /* The index's latest answers for single search words, while nothing is written. */
  PdWordHitsCache *word_hits;

  int             sync_lock_fd; /* held (flock) while this store owns a RUNNING run */
  gint64          sync_run_id;

  /* The history row of the user's edit this store (this program) wrote last, once committed:
   * the next edit of the same field merges into it, never into another program's (a `set` of
   * the CLI between two saves of the app is a change of its own). The one the open write
   * transaction wrote, -1 when none. */
  gint64          own_history_id;
  gint64          own_history_pending;

  /* Between pd_store_begin_reading and pd_store_end_reading; and whether that began the
   * transaction (not inside one already). */
  gboolean        reading;
  gboolean        reading_began;
};

/* The Partner Center bill-to in the organization row (schema 3), in PdBillToField order. */
#define PC_BILL_TO_COLUMNS \
  "pc_company_name, pc_email, pc_first_name, pc_last_name, pc_culture, pc_language, " \
  "pc_address_line1, pc_address_line2, pc_city, pc_state, pc_region, pc_postal_code, " \
  "pc_country, pc_phone_number, pc_address_first_name, pc_address_last_name"

/* The values computed from an organization at write time. */
typedef struct {
  guint32     missing;
  char       *name_key;
  char       *domain_key;
  const char *country;     /* borrowed from the organization's effective bill-to */
  char       *search_text;
} Derived;

/* What a batch or a mark adds to its run's counts (_pd_store_add_counts). */
typedef struct {
  guint n_new, n_updated, n_unchanged, n_removed, n_kept, n_replaced, n_failed;
} RunCounts;

/* pd-store.c */

void     _pd_store_set_run_tuning (PdStore *self, gboolean running);

/* pd-store-schema.c */

/* Brings the file from version (0: an empty file) to PD_STORE_SCHEMA_VERSION, inside the
 * caller's write transaction; the caller sets user_version. */
gboolean _pd_store_migrate_from (PdStore *self, gint64 version, GError **error);
gboolean _pd_store_ensure_bulk_indexes (PdStore *self, GError **error);
gboolean _pd_store_drop_bulk_indexes (PdStore *self, GError **error);

/* pd-store-country.c */

/* The rules fetched from Partner Center replace the bundled ones they name. */
gboolean _pd_store_load_country_rules (PdStore *self, GError **error);
/* Every missing-field mask is recomputed once when the rules in use differ from those the
 * masks were computed with (meta "country-rules-digest"). */
gboolean _pd_store_refresh_rules_digest (PdStore *self, GError **error);
/* Takes the rules another process saved since (its sync fetched Partner Center's), so that
 * the masks this store writes and the rules it hands out agree with the file's. */
void     _pd_store_follow_rules (PdStore *self);

/* pd-store-db.c */

gint64 _pd_store_now_seconds (void);
GDateTime *_pd_store_date_time_from_seconds (gint64 seconds);
gboolean _pd_store_str_empty (const char *s);
gboolean _pd_store_set_read_only_error (const char *path, GError **error);
gboolean _pd_store_set_sqlite_error (sqlite3 *db, int rc, GError **error);
void _pd_store_finalize_statement (gpointer data);
sqlite3_stmt *_pd_store_prepare (PdStore *self, const char *sql, GError **error);
sqlite3_stmt *_pd_store_prepare_dynamic (PdStore *self, const char *sql, GError **error);
void _pd_store_bind_text (sqlite3_stmt *stmt, int index, const char *text);
void _pd_store_bind_static (sqlite3_stmt *stmt, int index, const char *text);
void _pd_store_bind_static_or_null (sqlite3_stmt *stmt, int index, const char *text);
const char *_pd_store_column_text (sqlite3_stmt *stmt, int index);
gboolean _pd_store_rows_done (PdStore *self, sqlite3_stmt *stmt, int rc, GError **error);
gboolean _pd_store_row_done (PdStore *self, sqlite3_stmt *stmt, int rc, GError **error);
gboolean _pd_store_step_done (PdStore *self, sqlite3_stmt *stmt, GError **error);
gboolean _pd_store_collect_ids (PdStore *self, sqlite3_stmt *stmt, GArray *ids, GError **error);
/* A PdStoreForeachFunc that keeps each organization in the GPtrArray orgs (of references). */
gboolean _pd_store_add_org (PdOrganization *org, gpointer orgs);
gboolean _pd_store_exec_sql (PdStore *self, const char *sql, GError **error);
gboolean _pd_store_begin_write (PdStore *self, GError **error);
gboolean _pd_store_end_write (PdStore *self, gboolean ok, GError **error);
/* A read of several statements in one snapshot of the file (_pd_store_begin_read): declare
 * `g_auto(PdStoreSnapshot) snapshot = { self, FALSE };`, then begin it; it ends with the
 * variable's scope. */
typedef struct {
  PdStore  *self;
  gboolean  began;
} PdStoreSnapshot;
gboolean _pd_store_begin_read (PdStore *self, gboolean *out_began, GError **error);
void _pd_store_end_read (PdStore *self, gboolean began);
static inline void
_pd_store_snapshot_clear (PdStoreSnapshot *snapshot)
{
  _pd_store_end_read (snapshot->self, snapshot->began);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PdStoreSnapshot, _pd_store_snapshot_clear)
/* sql prepared with its one optional integer parameter, if it has it, bound to arg. */
sqlite3_stmt *_pd_store_prepare_with_arg (PdStore *self, const char *sql, gint64 arg,
                                          GError **error);
gboolean _pd_store_query_int64 (PdStore *self, const char *sql, gint64 arg, gint64 fallback,
                                gint64 *out, GError **error);
char *_pd_store_query_text (PdStore *self, const char *sql, const char *arg);
gint64 _pd_store_last_insert_id (PdStore *self);
/* Appends n bound parameters, "?, ?, …", to sql: an IN list or a row of VALUES. */
void   _pd_store_append_params (GString *sql, guint n);
gboolean _pd_store_set_io_error (int saved_errno, const char *what, const char *path,
                                 GError **error);

/* pd-store-index.c */

void _pd_store_derived_compute (PdStore *self, PdOrganization *org, Derived *d);
void _pd_store_derived_compute_keys (PdOrganization *org, Derived *d);
void _pd_store_derived_clear (Derived *d);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Derived, _pd_store_derived_clear)
/* Reads name_key, domain_key and search_text from stmt's columns index to index + 2. */
void _pd_store_column_keys (sqlite3_stmt *stmt, int index, Derived *d);
void _pd_store_bind_derived (sqlite3_stmt *stmt, int index, const Derived *d);
void _pd_store_fts_queue (PdStore *self, gint64 id, const char *indexed_text);
gboolean _pd_store_flush_fts (PdStore *self, GError **error);
/* In meta while a first sync's rows are not all in the full-text index. */
#define PD_STORE_FTS_INCOMPLETE_KEY "fts-incomplete"
/* In meta while every duplicate flag is stale (a sync run changed too many groups to keep
 * them); the table dup_stale_keys lists the stale groups otherwise. */
#define PD_STORE_DUPS_STALE_KEY "dups-stale"
void _pd_store_keys_stale (PdStore *self, const char *name_key, const char *domain_key);
void _pd_store_keys_changed (PdStore *self, const Derived *old, const Derived *d);
void _pd_store_all_dups_stale (PdStore *self);
void _pd_store_dups_settled (PdStore *self);
gboolean _pd_store_settle_dups (PdStore *self, GError **error);
gboolean _pd_store_take_stale_mark (PdStore *self, GError **error);
gboolean _pd_store_read_row_keys (PdStore *self, gint64 id, Derived *out_old, GError **error);
gboolean _pd_store_write_derived (PdStore *self, PdOrganization *org, GError **error);
gboolean _pd_store_refresh_derived (PdStore *self, gint64 id, GError **error);
/* _pd_store_refresh_derived of every organization stmt (bound, "SELECT id …") selects. */
gboolean _pd_store_refresh_derived_of (PdStore *self, sqlite3_stmt *stmt, GError **error);
/* … and of the organizations ids (gint64) names. */
gboolean _pd_store_refresh_derived_ids (PdStore *self, GArray *ids, GError **error);
gboolean _pd_store_index_unread (PdStore *self, const char *tenant, GError **error);
void _pd_store_tokenizer_free (PdSearchTokenizer *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdSearchTokenizer, _pd_store_tokenizer_free)
PdSearchMatcher *_pd_store_matcher_new (PdStore *self, const char **words);
gboolean _pd_store_matcher_matches (PdSearchMatcher *m, const char *text);
void _pd_store_matcher_free (PdSearchMatcher *m);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdSearchMatcher, _pd_store_matcher_free)
guint _pd_store_matcher_n_words (PdSearchMatcher *m);
const char *_pd_store_matcher_word (PdSearchMatcher *m, guint i);
gboolean _pd_store_tokenize (PdStore *self, const char *text, PdTokenCallback take,
                             gpointer ctx);

/* pd-store-words.c */

void _pd_store_sample_free (PdSearchSample *sample);
gboolean _pd_store_sample_estimate (PdStore *self, PdSearchMatcher *matcher, gint64 max_id,
                                    double *out_rows, double *out_fractions, GError **error);

/* Rows as a bit per id: bit id of bits[id / 8], ids below n_bits. */
typedef struct {
  guint8 *bits;
  gint64  n_bits;
  guint   n_hits;   /* bits set */
} PdRowBits;

PdRowBits *_pd_store_row_bits_new (gint64 max_id);
/* A copy of bits (transfer full). */
PdRowBits *_pd_store_row_bits_copy (const PdRowBits *bits);
void _pd_store_row_bits_free (PdRowBits *bits);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdRowBits, _pd_store_row_bits_free)
void _pd_store_row_bits_set (PdRowBits *bits, gint64 id);
gboolean _pd_store_row_bits_get (const PdRowBits *bits, gint64 id);
/* Keeps in bits only the rows also in other (and counts them). */
void _pd_store_row_bits_and (PdRowBits *bits, const PdRowBits *other);
/* The rows of the index's answer to match (any FTS5 query), up to max_id. (transfer full) */
PdRowBits *_pd_store_index_bits (PdStore *self, const char *match, gint64 max_id,
                                 GError **error);
void _pd_store_word_hits_cache_free (PdWordHitsCache *cache);
/* Whether the index's rows for word (as the tokenizer folds it) are at hand. */
gboolean _pd_store_word_hits_known (PdStore *self, const char *word, gint64 max_id);
/* The rows the index matches for the prefix word (as the tokenizer folds it; match: its FTS5
 * query), up to max_id; kept for the next searches until something is written.
 * (transfer none): valid until the next call. */
const PdRowBits *_pd_store_word_hits (PdStore *self, const char *word, const char *match,
                                      gint64 max_id, GError **error);

/* pd-store-read.c */

char **_pd_store_split_list (const char *text);
/* A local bill-to edit: the fields overridden (set, even to ""), on Partner Center's etag. */
typedef struct {
  PdBillTo *bill_to;
  char     *base_etag;
} PdStoreOverride;
/* Overrides of one organization (id > 0) or of all: gint64* → PdStoreOverride. Loaded in one
 * query so that listing never runs a query per row. */
GHashTable *_pd_store_load_overrides (PdStore *self, gint64 id, GError **error);
PdOrganization *_pd_store_get_org (PdStore *self, gint64 id, gboolean missing_is_error,
                                   GError **error);
char *_pd_store_normalize_tenant (const char *tenant_id);
PdOrganization *_pd_store_find_by_tenant (PdStore *self, const char *tenant_id, GError **error);

/* pd-store-search.c */

/* Status New (0) is also the status of an organization without local fields. */
#define _PD_STORE_NEW_CONDITION \
  "NOT EXISTS (SELECT 1 FROM local_fields n WHERE n.org_id = o.id AND n.status != 0)"
/* query, or for NULL the query of every organization (no filter, search or limit). */
const PdStoreQuery *_pd_store_query_or_all (const PdStoreQuery *query);
char *_pd_store_build_match (const char *search);
void _pd_store_append_where (GString *sql, const PdStoreQuery *query, const char *match,
                             gboolean with_filter);
int _pd_store_bind_query (sqlite3_stmt *stmt, const PdStoreQuery *query, const char *match);
gboolean _pd_store_page_ids (PdStore *self, const PdStoreQuery *query, GArray *ids,
                             GError **error);

/* pd-store-edit.c */

gboolean _pd_store_add_history (PdStore *self, gint64 org_id, const char *what,
                                const char *old_value, const char *new_value, PdChangeBy by,
                                gint64 run_id, GError **error);
gboolean _pd_store_set_invalid (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);
gboolean _pd_store_set_invalid_literal (GError **error, const char *message);
gboolean _pd_store_same_value (const char *a, const char *b);
/* The organization's local_fields row, inserted empty when it has none. */
gboolean _pd_store_ensure_local_row (PdStore *self, gint64 id, GError **error);
/* Stores one bill-to override, and bases all of the organization's on base_etag. */
gboolean _pd_store_write_override (PdStore *self, gint64 id, PdBillToField field,
                                   const char *value, const char *base_etag, GError **error);
gboolean _pd_store_delete_override_fields (PdStore *self, gint64 id, int field /* -1 = all */,
                                           GError **error);
guint32 _pd_store_overrides_equal_to (const PdBillTo *override, const PdBillTo *values);
gboolean _pd_store_settle_override (PdStore *self, gint64 id, PdBillTo *left, guint32 drop,
                                    const char *etag, GError **error);
char *_pd_store_bill_to_what (PdBillToField field);
gboolean _pd_store_add_bill_to_history (PdStore *self, gint64 id, const PdBillTo *old_bill_to,
                                        const PdBillTo *new_bill_to, guint32 fields, PdChangeBy by,
                                        gint64 run_id, gboolean *out_changed, GError **error);

/* pd-store-runs.c */

gboolean _pd_store_add_counts (PdStore *self, gint64 run_id, const RunCounts *c, GError **error);
gboolean _pd_store_insert_event (PdStore *self, gint64 run_id, const PdRunEvent *event,
                                 GError **error);
gboolean _pd_store_org_event (PdStore *self, gint64 run_id, PdRunEventKind kind,
                              PdOrganization *org, const char *field, const char *old_value,
                              const char *new_value, GError **error);

/* pd-store-merge.c */

/* A row's sync state (schema 9): when a sync found the row unchanged, synced_unchanged u holds
 * when and by which run, and stands for its last_synced_at, bill_to_read_at and seen_run. Every
 * read of them joins it (alias o: organizations). */
#define _PD_STORE_SYNCED_JOIN " LEFT JOIN synced_unchanged u ON u.org_id = o.id"
#define _PD_STORE_LAST_SYNCED_AT "coalesce (u.synced_at, o.last_synced_at)"
#define _PD_STORE_BILL_TO_READ_AT "coalesce (u.synced_at, o.bill_to_read_at)"
#define _PD_STORE_SEEN_RUN "(CASE WHEN u.org_id IS NULL THEN o.seen_run ELSE u.seen_run END)"
/* An organization with its local fields and its unchanged-sync note (as o, l and the join). */
#define _PD_STORE_ORG_FROM \
  " FROM organizations o LEFT JOIN local_fields l ON l.org_id = o.id" _PD_STORE_SYNCED_JOIN " "
/* Before a write of row id's last_synced_at, bill_to_read_at or seen_run: what synced_unchanged
 * holds of them goes back into the row, so that the write changes only what it writes
 * (pd-store-batch.c). */
gboolean _pd_store_fold_synced (PdStore *self, gint64 id, GError **error);
/* Before a write of all three (a sync's row update): what synced_unchanged holds of row id is
 * dropped, not folded back only to be written over. */
gboolean _pd_store_drop_synced (PdStore *self, gint64 id, GError **error);

/* pd-store.c */

/* Whether meta holds key (marks that outlive a run: pd_store_set_meta writes them). */
gboolean _pd_store_has_meta (PdStore *self, const char *key, gboolean *out_has, GError **error);

/* pd-store.c, for tests */

/* TRUE when the cache was opened read-only (the file or its folder is not writable): reads
 * work, writes fail with PD_STORE_ERROR_READ_ONLY. */
gboolean pd_store_is_read_only (PdStore *self);

/* pd-store-runs.c */

/* Builds the full-text index a first sync left incomplete, if any, and drops its mark, in one
 * transaction (its own, or the caller's when there is one); and stops deferring it. */
gboolean _pd_store_complete_fts (PdStore *self, GError **error);

/* pd-store-batch.c */

/* What a sync batch learns of the cache before merging. Each tenant is held once, in strings:
 * the tables compare tenants as pointers (a re-sync of a million hashed each tenant's text six
 * times, and copied it three times). */
typedef struct {
  GStringChunk *strings;
  GPtrArray    *tenants;    /* the normalised tenant of each organization, NULL without one */
  GHashTable   *known;      /* tenants the cache has; the batch adds those it stores */
  GHashTable   *unread;     /* … of those, the ones whose bill-to was never read; NULL: not
                               asked */
  GHashTable   *unchanged;  /* … those whose row holds what the batch says: tenant → its id
                               (in ids); NULL: not asked */
  gint64       *ids;
} PdStoreBatchKnown;

/* The Partner Center owned columns of a row, written from an organization: name, domain,
 * country, relationship, delegated_access, reseller_id, reseller_name (7 values from index
 * on); the bill-to (pc_etag, then PC_BILL_TO_COLUMNS: 17 values from index on); and their
 * digest (pc_digest), which a write of them all keeps with them. */
void   _pd_store_bind_pc_columns (sqlite3_stmt *stmt, int index, PdOrganization *org);
void   _pd_store_bind_pc_bill_to (sqlite3_stmt *stmt, int index, PdOrganization *org);
gint64 _pd_store_pc_digest (PdOrganization *org);
/* What _pd_store_bind_pc_bill_to binds, as the SET list of an UPDATE. */
#define PC_BILL_TO_SET \
  "pc_etag = ?, pc_company_name = ?, pc_email = ?, pc_first_name = ?, pc_last_name = ?, " \
  "pc_culture = ?, pc_language = ?, pc_address_line1 = ?, pc_address_line2 = ?, pc_city = ?, " \
  "pc_state = ?, pc_region = ?, pc_postal_code = ?, pc_country = ?, pc_phone_number = ?, " \
  "pc_address_first_name = ?, pc_address_last_name = ?"

void               _pd_store_batch_known_free (PdStoreBatchKnown *known);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdStoreBatchKnown, _pd_store_batch_known_free)
/* Begins the write of a batch of orgs and learns what the cache has of their tenants
 * (compare_rows: also which rows are unread, and which hold what orgs say). NULL, with nothing
 * begun, on failure. (transfer full) */
PdStoreBatchKnown *_pd_store_begin_batch (PdStore *self, GPtrArray *orgs, gboolean compare_rows,
                                          GError **error);
/* Ends the write _pd_store_begin_batch began: commits when ok, rolls back otherwise. Within a
 * run (run_id > 0) the duplicate flags are left to its end. */
gboolean _pd_store_end_batch (PdStore *self, gint64 run_id, gboolean ok, GError **error);

/* pd-store-partner.c */

/* Appended to a WHERE clause on organizations: only the customers in the reseller scope of the
 * run bound as :scope_run (every customer when that run had no scope). */
#define _PD_STORE_RUN_SCOPE_SQL \
  " AND (NOT EXISTS (SELECT 1 FROM sync_run_resellers WHERE run_id = :scope_run)" \
  " OR lower (reseller_id) IN (SELECT reseller_id FROM sync_run_resellers" \
  " WHERE run_id = :scope_run))"
void _pd_store_bind_scope_run (sqlite3_stmt *stmt, gint64 run_id);

G_END_DECLS
