/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-store.h — the local SQLite cache: Partner Desk's user data.
 *
 * One PdStore wraps one sqlite3 connection. It is not thread-safe: a thread that wants to read
 * beside the writer opens its own PdStore on the same path (WAL lets readers run beside one
 * writer). Every statement uses bound parameters.
 *
 * The file lives at $PARTNER_DESK_DB or $XDG_DATA_HOME/partner-desk/partner-desk.db, mode 0600.
 * A file that is not a database, is corrupt, or has a schema newer than this build is never
 * written to: open fails with PD_STORE_ERROR_CORRUPT / PD_STORE_ERROR_TOO_NEW and leaves it
 * exactly as it was.
 */
#pragma once

#include <gio/gio.h>

#include "pd-bill-to.h"
#include "pd-country-rules.h"
#include "pd-org-fields.h"
#include "pd-organization.h"
#include "pd-types.h"

G_BEGIN_DECLS

#define PD_STORE_ERROR (pd_store_error_quark ())
typedef enum {
  PD_STORE_ERROR_FAILED,
  PD_STORE_ERROR_CORRUPT,        /* not a database / integrity failure */
  PD_STORE_ERROR_TOO_NEW,        /* schema version newer than this build */
  PD_STORE_ERROR_NOT_FOUND,      /* no such organization */
  PD_STORE_ERROR_INVALID,        /* bad key or value (message names it) */
  PD_STORE_ERROR_ERP_ID_TAKEN,   /* ERP ID used by another organization (message names it) */
  PD_STORE_ERROR_BUSY,           /* a sync is already running (message says since when) */
  PD_STORE_ERROR_DISK_FULL,
  PD_STORE_ERROR_READ_ONLY,      /* the file or its folder is not writable (message names it) */
  PD_STORE_ERROR_OTHER_PARTNER,  /* the cache belongs to another Partner Center account */
  PD_STORE_ERROR_LOCKED,         /* another program kept the cache locked past the busy
                                  * timeout: nothing was written, the same write may work later */
  PD_STORE_ERROR_DUPLICATE,      /* a create refused: another program just added the same
                                  * customer (pd_duplicates_check_added) */
} PdStoreError;
GQuark pd_store_error_quark (void);

/* The current schema version written by this build. */
#define PD_STORE_SCHEMA_VERSION 13

/* A list query: every member optional. */
typedef struct {
  /* prefix search over name, domain, ERP ID, e-mail, city (FTS5); see pd_store_search_is_blank
   * for text without words */
  const char *search;
  PdFilter    filter;
  const char *reseller_id;  /* only customers of this indirect reseller */
  guint       limit;        /* 0 = no limit */
} PdStoreQuery;

/* One change in an organization's history. */
typedef struct {
  gint64      org_id;
  char       *what;         /* field path: "erpId", "billTo.address.city", "created", … */
  char       *old_value;
  char       *new_value;
  PdChangeBy  by;
  GDateTime  *when;
  gint64      sync_run_id;  /* 0 when by the user */
} PdHistoryEntry;
void pd_history_entry_free (PdHistoryEntry *entry);

/* Outcome of applying one Partner Center customer during a sync (see apply_partner_center). */
typedef enum {
  PD_APPLY_NEW,
  PD_APPLY_UPDATED,
  PD_APPLY_UNCHANGED,
} PdApplyOutcome;

typedef struct {
  PdApplyOutcome outcome;
  gint64         org_id;
  gboolean       override_kept;     /* a local override exists and survived */
  gboolean       override_replaced; /* Partner Center changed the bill-to: override → history */
  guint32        replaced_fields;   /* bit per PdBillToField that was overridden and replaced */
} PdApplyResult;

/* Sync run bookkeeping. */
typedef enum {
  PD_SYNC_KIND_FULL,
  PD_SYNC_KIND_INCREMENTAL,
  PD_SYNC_KIND_RETRY,        /* a few customers fetched again: neither a listing nor the
                              * activity log was read, so it is no base for the next run */
} PdSyncKind;

typedef enum {
  PD_SYNC_STATE_RUNNING,
  PD_SYNC_STATE_COMPLETE,
  PD_SYNC_STATE_FAILED,
  PD_SYNC_STATE_CANCELLED,
  PD_SYNC_STATE_INTERRUPTED,   /* a RUNNING run whose process died (found by the next begin) */
} PdSyncState;

/* One line of a run's report. */
typedef enum {
  PD_RUN_EVENT_NEW,
  PD_RUN_EVENT_UPDATED,
  PD_RUN_EVENT_REMOVED,
  PD_RUN_EVENT_OVERRIDE_KEPT,
  PD_RUN_EVENT_OVERRIDE_REPLACED,  /* field, old (local) value, new (Partner Center) value */
  PD_RUN_EVENT_FAILED,             /* tenant id and error message */
} PdRunEventKind;

/* A set of event kinds, as pd_store_get_run_events_of takes it. */
#define PD_RUN_EVENT_KIND_BIT(kind) (1u << (kind))

typedef struct {
  PdRunEventKind kind;
  gint64         org_id;     /* 0 if unknown (failed before stored) */
  char          *tenant_id;
  char          *name;
  char          *field;      /* path, OVERRIDE_REPLACED only */
  char          *old_value;
  char          *new_value;
  char          *error;      /* FAILED only */
} PdRunEvent;
void pd_run_event_free (PdRunEvent *event);

typedef struct {
  gint64       id;
  PdSyncKind   kind;
  PdSyncState  state;
  GDateTime   *started_at;
  GDateTime   *finished_at;  /* NULL while running */
  guint        n_new, n_updated, n_unchanged, n_removed;
  guint        n_overrides_kept, n_overrides_replaced, n_failed;
  char        *error;        /* why the run failed, or NULL */
  char        *correlation_id;
} PdSyncRun;
void       pd_sync_run_free (PdSyncRun *run);
/* (transfer none) */
const char *pd_sync_state_to_string (PdSyncState state);
/* (transfer none) */
const char *pd_sync_kind_to_string  (PdSyncKind kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdHistoryEntry, pd_history_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdRunEvent, pd_run_event_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdSyncRun, pd_sync_run_free)

#define PD_TYPE_STORE (pd_store_get_type ())
G_DECLARE_FINAL_TYPE (PdStore, pd_store, PD, STORE, GObject)

/* $PARTNER_DESK_DB, else $XDG_DATA_HOME/partner-desk/partner-desk.db. (transfer full) */
char        *pd_store_default_path        (void);
/* TRUE when path is a cache of an older schema, which pd_store_open upgrades first (seconds
 * for 100,000 organizations); FALSE for a missing, current, newer or unreadable file. Reads
 * only the file's header: cheap enough to decide whether to show progress. */
gboolean     pd_store_needs_upgrade       (const char *path);
/* Creates the folder (0700) and file (0600) when missing, migrates forward in one
 * transaction, turns on WAL and foreign keys. (transfer full) */
PdStore     *pd_store_open                (const char    *path,
                                           GError       **error);
/* (transfer none) */
const char  *pd_store_get_path            (PdStore       *self);
int          pd_store_get_schema_version  (PdStore       *self);
/* Takes what another process changed that this store keeps in memory (the country rules its
 * sync saved): call when pd_store_get_data_version changed. A write does it by itself, so a
 * rule from pd_store_get_country_rules is not to be held across a write. */
void         pd_store_follow_other_writers (PdStore      *self);
/* A number that changes whenever another connection (another process: the CLI, the timer)
 * commits a change to the cache; this connection's own writes leave it as it is. FALSE with
 * error when the cache cannot be read. */
gboolean     pd_store_get_data_version    (PdStore       *self,
                                           gint64        *out_version,
                                           GError       **error);
/* Gives back the memory of the connection's page cache that no statement uses: after a read
 * of every row (the list's load), whose pages are not read again soon, it is up to 32 MB. */
void         pd_store_release_memory      (PdStore       *self);
/* How long a write waits for another program's write to end before it is refused with
 * PD_STORE_ERROR_LOCKED: PD_STORE_LOCK_WAIT_MS by default (the error's message says so); 0
 * refuses at once. Shorter for a write on the UI thread that is kept and tried again, so that
 * the app does not freeze while a sync of the timer holds the cache; set the default back after. */
#define PD_STORE_LOCK_WAIT_MS 5000
void         pd_store_set_lock_wait       (PdStore       *self,
                                           guint          max_ms);
/* The country rules in use: bundled, overlaid with those saved from Partner Center.
 * (transfer none) */
PdCountryRules *pd_store_get_country_rules (PdStore      *self);

/* ---- reading ---- */
/* Whether search (PdStoreQuery.search) is no search at all: NULL, empty or only white space,
 * which every organization passes. Any other text is a search, and an organization matches it
 * when it has each of its words (runs of letters and digits): text without a word ("!!!",
 * "-", "&") matches no organization, as no organization's words are punctuation. The store's
 * queries and the app's list both follow this rule. */
gboolean     pd_store_search_is_blank     (const char         *search);
/* GPtrArray of PdOrganization (new refs), sorted by name (ASCII case-insensitive, then id).
 * Each has missing-fields and possible-duplicate computed. Possible duplicate = another
 * organization has the same normalised name or domain (pd_duplicates_normalize_*); both the
 * flag and the missing fields are kept up to date at write time, so listing runs no per-row
 * query. The search matches every word as a prefix (all words must match); FTS5 syntax typed
 * by the user is plain text. (transfer full) (element-type PdOrganization) */
GPtrArray   *pd_store_list                (PdStore            *self,
                                           const PdStoreQuery *query,
                                           GError            **error);
/* Returns FALSE to stop. org is a new organization the callee may keep a reference to. */
typedef gboolean (*PdStoreForeachFunc) (PdOrganization *org,
                                        gpointer        user_data);
/* pd_store_list one organization at a time, in the same order, holding none of them: for
 * writing out a cache of a million. query->limit must be 0. FALSE with error set on failure
 * (not when func stopped the read; organizations before the failure were given to func).
 * Every organization is of one state of the cache: func runs inside a read transaction, and
 * must not write through self (another connection may). */
gboolean     pd_store_foreach             (PdStore            *self,
                                           const PdStoreQuery *query,
                                           PdStoreForeachFunc  func,
                                           gpointer            user_data,
                                           GError            **error);
/* The organizations ids names, in that order, read a hundred at a time and held no longer:
 * for writing out what a list shows, of a million. Ids no longer in the cache are passed over.
 * FALSE with error set on failure (not when func stopped the read). Each hundred is of one
 * state of the cache (rows with their local edits); the whole may span several. */
gboolean     pd_store_foreach_of_ids      (PdStore            *self,
                                           const gint64       *ids,
                                           guint               n_ids,
                                           PdStoreForeachFunc  func,
                                           gpointer            user_data,
                                           GError            **error);
/* One organization as a list shows, sorts, filters and searches it (pd_store_list_rows): its
 * values with local bill-to edits applied, as the PdOrganization of pd_store_list would give
 * them. Strings are borrowed for the duration of the call. */
typedef struct {
  gint64          id;
  const char     *name;
  const char     *domain;
  const char     *erp_id;
  const char     *country;            /* the effective bill-to country, else the stored one */
  const char     *currency;
  const char     *account_manager;
  const char     *reseller_id;
  const char     *reseller_name;
  const char     *segments;           /* joined with ", "; NULL when none */
  const char     *notes;
  const char     *email;              /* effective bill-to e-mail */
  const char     *city;               /* effective bill-to city */
  const char     *bill_to_read_error;
  gint64          last_synced_at;     /* Unix seconds, when has_last_synced */
  gint64          bill_to_read_at;    /* Unix seconds, when has_bill_to_read_at */
  guint32         missing_mask;       /* bit per missing field (pd-country-rules.h) */
  guint32         local_mask;         /* bit per PdBillToField edited locally */
  PdOrgSource     source;
  PdOrgStatus     status;
  PdAccountStatus account_status;
  PdBillToState   bill_to_state;
  gboolean        removed;
  gboolean        possible_duplicate;
  gboolean        has_last_synced;
  gboolean        has_bill_to_read_at;
} PdStoreListRow;

/* Returns FALSE to stop. */
typedef gboolean (*PdStoreListRowFunc) (const PdStoreListRow *row,
                                        gpointer              user_data);
/* pd_store_list, narrow: reads only the list's columns and builds no object, so that a list
 * of a million organizations loads in seconds and never holds them all as objects. Rows come
 * in no particular order (with query->limit: the first by name). FALSE with error set on
 * failure (not when func stopped the read). As pd_store_foreach, one state of the cache:
 * func must not write through self. */
gboolean     pd_store_list_rows           (PdStore            *self,
                                           const PdStoreQuery *query,
                                           PdStoreListRowFunc  func,
                                           gpointer            user_data,
                                           GError            **error);
/* The ids of every organization by name in SQLite's NOCASE collation (ASCII case folding),
 * then id, read from the name index alone (a tenth of the time of reading the rows): an
 * order close to the list's, which the list sorts from at the cost of a pass.
 * (transfer full) (element-type gint64) */
GArray      *pd_store_list_ids_by_name    (PdStore            *self,
                                           GError            **error);
/* The reads until pd_store_end_reading see the cache as one state, that of the first of them:
 * what other programs write meanwhile (a sync of the timer) is seen after. Only reads in
 * between (a write would fail); not nested. */
gboolean     pd_store_begin_reading       (PdStore            *self,
                                           GError            **error);
void         pd_store_end_reading         (PdStore            *self);
/* How many customers Partner Center listed whose bill-to no read has reached yet (none failed:
 * those are "not readable"): during a first sync, or after one stopped. Neither complete nor
 * incomplete is known of them. */
gboolean     pd_store_count_not_read      (PdStore            *self,
                                           guint              *out_count,
                                           GError            **error);
/* Counts for every PdFilter at once (array of PD_N_FILTERS), honouring search/reseller. */
gboolean     pd_store_count_filters       (PdStore            *self,
                                           const PdStoreQuery *query,
                                           guint              *counts,
                                           GError            **error);
/* (transfer full) */
PdOrganization *pd_store_get              (PdStore       *self,
                                           gint64         id,
                                           GError       **error);
/* ORG = local id (digits), tenant id, or domain (case-insensitive). NOT_FOUND otherwise.
 * (transfer full) */
PdOrganization *pd_store_find             (PdStore       *self,
                                           const char    *org,
                                           GError       **error);
/* (transfer full) */
PdOrganization *pd_store_find_by_tenant   (PdStore       *self,
                                           const char    *tenant_id,
                                           GError       **error);
/* Newest first. (transfer full) (element-type PdHistoryEntry) */
GPtrArray   *pd_store_get_history         (PdStore       *self,
                                           gint64         id,
                                           GError       **error);
/* Indirect resellers seen in the cache: GPtrArray of char* pairs "id\tname". (transfer full) */
GPtrArray   *pd_store_list_resellers      (PdStore       *self,
                                           GError       **error);
guint        pd_store_count               (PdStore       *self);
/* How many organizations a search (PdStoreQuery.search) cannot find now: those a sync listed
 * and has not read yet (its end indexes them), or every one while a first sync builds the
 * search index at its end. Found by id or tenant id meanwhile. */
gboolean     pd_store_count_unsearchable  (PdStore       *self,
                                           guint         *out_n,
                                           GError       **error);
/* Whether every organization's duplicate flag (PD_FILTER_DUPLICATES) is up to date: FALSE
 * while a sync run keeps some of them for its end (a first sync, all of them), or after such
 * a run died, until the next run settles them. */
gboolean     pd_store_get_dup_flags_exact (PdStore       *self,
                                           gboolean      *out_exact,
                                           GError       **error);

/* ---- local edits (by the user; each recorded in the history) ---- */
/* FALSE with PD_STORE_ERROR_ERP_ID_TAKEN, naming the organization, when an organization other
 * than id (0: any) has erp_id, in any case; TRUE when none has it, or erp_id is empty. */
gboolean     pd_store_check_erp_id_free   (PdStore       *self,
                                           gint64         id,
                                           const char    *erp_id,
                                           GError       **error);
/* Whether text may be saved in field, as a write of it checks (without the ERP ID's
 * uniqueness: pd_store_check_erp_id_free): FALSE with PD_STORE_ERROR_INVALID and the reason
 * ("“bad domain!” is not a domain name (like contoso.com)") when not. A dialog marks the
 * field that is wrong before it writes anything. */
gboolean     pd_store_check_value         (PdOrgField     field,
                                           const char    *text,
                                           GError       **error);
/* key is one of: erp-id, registration-number, segments (comma-separated), currency,
 * status, login-options (comma-separated), account-manager, notes, name, domain, country.
 * Validates (ISO 4217 currency, ISO 3166 country, status name, unique ERP ID) and writes
 * nothing on error. Setting currency also sets its effective date to the 1st of next month.
 * An empty value clears the field (the name cannot be cleared). name, domain and country
 * belong to Partner Center for synced organizations: only manual ones accept them
 * (PD_STORE_ERROR_INVALID otherwise). Currency and country are upper-cased, domain
 * lower-cased, status case-insensitive. */
gboolean     pd_store_set_field           (PdStore       *self,
                                           gint64         id,
                                           const char    *key,
                                           const char    *value,
                                           GError       **error);
/* pd_store_set_field for n keys at once, all or nothing: every value is checked first, and
 * they are written in one transaction, so a failure (a taken ERP ID, a busy or full disk)
 * leaves the organization as it was. */
gboolean     pd_store_set_fields          (PdStore            *self,
                                           gint64              id,
                                           const char * const *keys,
                                           const char * const *values,
                                           guint               n,
                                           GError            **error);
/* Overrides one bill-to field locally (value NULL/"" = override with empty). Records the
 * Partner Center etag it is based on. An override equal to the Partner Center value is
 * dropped instead. */
gboolean     pd_store_set_bill_to_field   (PdStore       *self,
                                           gint64         id,
                                           PdBillToField  field,
                                           const char    *value,
                                           GError       **error);
/* pd_store_set_bill_to_field for every field whose values[field] is not NULL (values has
 * PD_BILL_TO_N_FIELDS entries; "" overrides with empty), in one transaction: all or nothing. */
gboolean     pd_store_set_bill_to_fields  (PdStore            *self,
                                           gint64              id,
                                           const char * const *values,
                                           GError            **error);
/* Drops the override of the given fields (fields NULL/n_fields 0 = all). */
gboolean     pd_store_revert_bill_to      (PdStore              *self,
                                           gint64                id,
                                           const PdBillToField  *fields,
                                           guint                 n_fields,
                                           GError              **error);
/* Stores what Partner Center answered to a bill-to push it accepted (answer: its bill-to, etag:
 * the new etag; sent: the bill-to as PUT, mask: a bit per PdBillToField pushed), in ONE
 * transaction: the answer becomes the Partner Center bill-to (and the country follows it, as
 * after a sync); an override ends where Partner Center now holds its value, and so does the
 * override of a pushed field that still holds the value sent (Partner Center may store it in
 * its own form); every other override (a field typed since the push started, a pushed field
 * typed again) stays, based on the new etag. Each pushed field (mask) whose Partner Center
 * value changed is recorded in the history as the user's push (PD_CHANGE_BY_PUSH), any other
 * that changed (someone else's change in Partner Center) by sync; no sync run. NOT_FOUND
 * for an unknown id, INVALID for an organization without a tenant; nothing is written on
 * error. Name, relationship, the time of the last sync and the removed mark are left to the
 * next sync. */
gboolean     pd_store_set_pushed_bill_to  (PdStore              *self,
                                           gint64                id,
                                           const PdBillTo       *answer,
                                           const char           *etag,
                                           const PdBillTo       *sent,
                                           guint32               mask,
                                           GError              **error);
/* Stores Partner Center's bill-to (bill_to, etag) read outside a sync run (e.g. right before a
 * push), in one transaction, as a sync would store it without a conflict: each override it now
 * holds ends quietly, the others stay based on etag; the changes are in the history by sync,
 * with no run. Errors as pd_store_set_pushed_bill_to. */
gboolean     pd_store_set_read_bill_to    (PdStore              *self,
                                           gint64                id,
                                           const PdBillTo       *bill_to,
                                           const char           *etag,
                                           GError              **error);
/* Records Microsoft's account verification of a Partner Center customer as Partner Center just
 * answered it (now), for the "Account under review" filter. Unknown ids change nothing. */
gboolean     pd_store_set_account_status  (PdStore         *self,
                                           gint64           id,
                                           PdAccountStatus  status,
                                           GError         **error);
/* A manual organization (no tenant). Returns the new id, 0 on error. */
gint64       pd_store_create_manual       (PdStore       *self,
                                           const char    *name,
                                           const char    *domain,
                                           const char    *country,
                                           const char    *erp_id,
                                           GError       **error);
/* A look, in the write transaction that creates a manual organization, at the organizations
 * added after the id since (element-type PdOrganization): check returns FALSE with error to
 * refuse the create. Two processes that each checked the cache for a duplicate, then create,
 * cannot both create the same customer. */
typedef struct
{
  gint64     since;
  gboolean (*check) (GPtrArray *added, gpointer user_data, GError **error);
  gpointer   user_data;
} PdStoreCreateGuard;
/* pd_store_create_manual after guard's check. */
gint64       pd_store_create_manual_guarded (PdStore                  *self,
                                             const char               *name,
                                             const char               *domain,
                                             const char               *country,
                                             const char               *erp_id,
                                             const PdStoreCreateGuard *guard,
                                             GError                  **error);
/* Links a manual organization to a tenant: if a synced organization with that tenant exists,
 * the manual one's local fields move onto it and the manual one is deleted; otherwise the
 * manual one takes the tenant id. Returns the surviving id, 0 on error. */
gint64       pd_store_link                (PdStore       *self,
                                           gint64         id,
                                           const char    *tenant_id,
                                           GError       **error);

/* The organization a deleted manual one was linked onto (pd_store_link); 0 when id was never
 * linked away or names an organization now, or on error. */
gint64       pd_store_get_merged_into     (PdStore       *self,
                                           gint64         id,
                                           GError       **error);

/* ---- sync (used by PdSyncEngine) ---- */
/* Sets PD_STORE_ERROR_BUSY: "A sync is already running (since 14:02)", in local time, or
 * without the time when started_at is NULL (another process took the lock, its run not yet
 * written). */
void         pd_store_set_sync_busy_error (GDateTime     *started_at,
                                           GError       **error);
/* Refuses with PD_STORE_ERROR_BUSY when another live process (or another PdStore, or this
 * one) holds a running run: an advisory lock on "<db>.sync-lock", released by finish or by the
 * owner's death. A RUNNING run whose owner died is marked INTERRUPTED; for a full run, the
 * newest such full run, when it started within the last day, is returned through
 * resume_run_id (0 if none; always 0 for another kind) so the engine can skip what was already stored (pd_store_get_checkpoint of the new run
 * includes it). An older one's copy is read again. */
gint64       pd_store_begin_sync_run      (PdStore       *self,
                                           PdSyncKind     kind,
                                           const char    *correlation_id,
                                           gint64        *resume_run_id,
                                           GError       **error);
/* When the oldest of the stopped full runs (failed, cancelled, interrupted) that lead without a
 * break to run_id began: each may have continued the one before, so a run continuing run_id
 * would skip what was stored since then. NULL when unknown. (transfer full) (nullable) */
GDateTime   *pd_store_dup_stopped_streak_start (PdStore     *self,
                                                gint64       run_id);
/* run_id may be 0 outside a sync (tests, imports): then no events and no counts are kept.
 * History rows (by sync) record each changed Partner Center value and each replaced local
 * value; a new customer gets a NEW event, not a history row. A batch with an error stores
 * nothing (results is left as it was). An overridden field whose local value equals the new
 * Partner Center value ends quietly (nothing was lost, no OVERRIDE_REPLACED); an override that
 * stays is rebased on the incoming etag.
 * Applies a batch of Partner Center customers in ONE transaction (GPtrArray of
 * PdOrganization carrying tenant id, name, domain, relationship, delegated access, reseller,
 * bill-to-partner-center + etag). The three-way merge of design.md §3: if an organization has
 * a local override whose base etag differs from the incoming etag AND the incoming bill-to
 * differs from the stored Partner Center bill-to, Partner Center wins: the override goes to
 * history and the run gets OVERRIDE_REPLACED events. Otherwise the override stays. Marks each
 * tenant as seen by run_id (the checkpoint), clears "removed", records NEW/UPDATED events.
 * An organization's bill-to read time, when set, is when the run asked Partner Center for it:
 * a bill-to the cache read outside a sync since then (pd_store_set_pushed_bill_to,
 * pd_store_set_read_bill_to) is newer, and stays. results (optional) receives one
 * PdApplyResult per input. */
gboolean     pd_store_apply_partner_center (PdStore      *self,
                                            gint64        run_id,
                                            GPtrArray    *organizations,
                                            GArray       *results,
                                            GError      **error);
/* Stores every customer of a listing page (GPtrArray of PdOrganization carrying what the
 * listing has: tenant id, name, domain, relationship, reseller) that the cache does not have
 * yet, in ONE transaction, with its bill-to "not readable" until a read fills it: the first
 * pd_store_apply_partner_center of such a customer counts as NEW (event, no history). A cached
 * customer is left exactly as it is (its bill-to, etag, overrides, name): no event, no
 * history, no count. Not marked seen by run_id: a resumed run still reads it. out_n_stored
 * (optional): how many rows were added. */
gboolean     pd_store_apply_listing       (PdStore       *self,
                                           gint64         run_id,
                                           GPtrArray     *organizations,
                                           guint         *out_n_stored,
                                           GError       **error);
/* The latest read of tenant_id's bill-to failed; reason says why, in words. Its last known
 * bill-to (if any) and the time of that read stay; a customer never read stays not readable.
 * TRUE (nothing to do) for a tenant the cache does not have. The next successful read (a
 * sync's apply, a push, pd_store_set_read_bill_to) clears the reason. */
gboolean     pd_store_set_bill_to_unreadable (PdStore    *self,
                                              const char *tenant_id,
                                              const char *reason,
                                              GError    **error);
/* The Partner Center customers (not removed) whose bill-to was never read or whose latest
 * read failed: a set of tenant id strings, for the next sync to read again. (transfer full) */
GHashTable  *pd_store_dup_unread_tenants  (PdStore       *self,
                                           GError       **error);
/* Tenants already stored by run_id or by an interrupted run it resumes (GHashTable set of
 * tenant id strings). (transfer full) */
GHashTable  *pd_store_get_checkpoint      (PdStore       *self,
                                           gint64         run_id,
                                           GError       **error);
/* After a COMPLETE full listing: marks every Partner Center organization not seen by run_id
 * (or the run it resumed) as removed; returns how many. Never deletes. A run with a reseller
 * scope (pd_store_set_run_scope) marks only customers of those resellers. */
guint        pd_store_mark_unseen_removed (PdStore       *self,
                                           gint64         run_id,
                                           GError       **error);
/* What pd_store_mark_unseen_removed would do, without doing it: how many Partner Center
 * organizations run_id (or the run it resumes) has not seen (*out_unseen), of how many not
 * marked removed (*out_present); both within the run's reseller scope, if it has one. */
gboolean     pd_store_count_unseen        (PdStore       *self,
                                           gint64         run_id,
                                           guint         *out_unseen,
                                           guint         *out_present,
                                           GError       **error);
/* The tenants pd_store_mark_unseen_removed would mark (GHashTable set of tenant id strings),
 * for a scoped run to ask Partner Center about each first. (transfer full) */
GHashTable  *pd_store_dup_unseen_tenants  (PdStore       *self,
                                           gint64         run_id,
                                           GError       **error);
/* A customer run_id listed but could not fetch: its cached copy stays as it was, counts as
 * neither new, updated nor unchanged, and is not marked removed at the end of a complete
 * listing; one an earlier run marked removed is no longer (listed: Partner Center has it),
 * with a history row. TRUE (nothing to do) for a tenant the cache does not have. */
gboolean     pd_store_mark_seen           (PdStore       *self,
                                           gint64         run_id,
                                           const char    *tenant_id,
                                           GError       **error);
/* pd_store_mark_seen of each of the n_tenants tenant_ids, in ONE transaction (a page of a
 * listing whose customers a scoped incremental run does not read again). */
gboolean     pd_store_mark_seen_many      (PdStore             *self,
                                           gint64               run_id,
                                           const char * const  *tenant_ids,
                                           guint                n_tenants,
                                           GError             **error);
/* The customers a full run listed wait for their read in the cache, not in memory (a listing
 * runs far ahead of the reads). Records each of organizations (PdOrganization: tenant id and
 * name) as listed by run_id, in ONE transaction, in their order; one without a tenant id, or
 * that run_id listed already (a listing read again), is left out. out_new (optional, GArray of
 * guint) receives the indexes in organizations of the ones recorded now. */
gboolean     pd_store_queue_listed        (PdStore       *self,
                                           gint64         run_id,
                                           GPtrArray     *organizations,
                                           GArray        *out_new,
                                           GError       **error);
/* Takes the (at most limit) customers run_id listed longest ago and not taken yet: a
 * GPtrArray of PdOrganization with tenant id and name, in listing order, empty when none is
 * left. They stay recorded as listed (pd_store_queue_listed skips them). NULL on error.
 * (transfer full) */
GPtrArray   *pd_store_take_listed         (PdStore       *self,
                                           gint64         run_id,
                                           guint          limit,
                                           GError       **error);
/* Forgets what run_id listed (run_id 0: every run's). */
gboolean     pd_store_clear_listed        (PdStore       *self,
                                           gint64         run_id,
                                           GError       **error);
/* Marks one tenant removed (incremental: relationship removed). */
gboolean     pd_store_mark_removed        (PdStore       *self,
                                           gint64         run_id,
                                           const char    *tenant_id,
                                           GError       **error);
gboolean     pd_store_add_run_event       (PdStore          *self,
                                           gint64            run_id,
                                           const PdRunEvent *event,
                                           GError          **error);
/* A run turned into another kind before it stored anything (an incremental run whose
 * activity log Partner Center refused reads every customer: a full run). */
gboolean     pd_store_set_sync_run_kind   (PdStore       *self,
                                           gint64         run_id,
                                           PdSyncKind     kind,
                                           GError       **error);
gboolean     pd_store_finish_sync_run     (PdStore       *self,
                                           gint64         run_id,
                                           PdSyncState    state,
                                           const char    *error_message,
                                           GError       **error);
/* Newest first; limit 0 = all. A RUNNING run whose process died reads as INTERRUPTED (the next
 * run's begin marks it so). (transfer full) (element-type PdSyncRun) */
GPtrArray   *pd_store_list_sync_runs      (PdStore       *self,
                                           guint          limit,
                                           GError       **error);
/* As pd_store_list_sync_runs reads it. (transfer full) */
PdSyncRun   *pd_store_get_sync_run        (PdStore       *self,
                                           gint64         run_id,
                                           GError       **error);
/* In insertion order. (transfer full) (element-type PdRunEvent) */
GPtrArray   *pd_store_get_run_events      (PdStore       *self,
                                           gint64         run_id,
                                           GError       **error);
/* Only its events of the kinds in kinds (PD_RUN_EVENT_KIND_BIT of each), in insertion order, at
 * most limit of them (0: all): a first sync's report holds a NEW event per customer, which a
 * caller that shows or looks for the others need not hold. (transfer full)
 * (element-type PdRunEvent) */
GPtrArray   *pd_store_get_run_events_of   (PdStore       *self,
                                           gint64         run_id,
                                           guint          kinds,
                                           guint          limit,
                                           GError       **error);
/* How many events of the kinds in kinds it has; -1 with error set. */
gint64       pd_store_count_run_events_of (PdStore       *self,
                                           gint64         run_id,
                                           guint          kinds,
                                           GError       **error);
/* Only its FAILED events (pd_store_get_run_events_of). (transfer full)
 * (element-type PdRunEvent) */
GPtrArray   *pd_store_get_run_failures    (PdStore       *self,
                                           gint64         run_id,
                                           GError       **error);
/* The start time of the last COMPLETE full or incremental run (not a retry, which read only
 * its few customers), or NULL. (transfer full) (nullable) */
GDateTime   *pd_store_get_last_complete_sync (PdStore    *self);
/* A running run of a live process (for "a sync is already running since …"), or NULL.
 * (transfer full) (nullable) */
PdSyncRun   *pd_store_get_running_sync    (PdStore       *self);

/* ---- country rules fetched from Partner Center ---- */
gboolean     pd_store_save_country_rule   (PdStore             *self,
                                           const PdCountryRule *rule,
                                           GError             **error);
/* When the rule for iso2 was last fetched, or NULL. (transfer full) (nullable) */
GDateTime   *pd_store_get_country_rule_fetched_at (PdStore    *self,
                                                   const char *iso2);
/* Distinct countries of the cached bill-tos. (transfer full) */
char       **pd_store_dup_countries       (PdStore       *self);

/* ---- the Partner Center account the cache belongs to (pd-store-partner.c) ---- */
/* The partner tenant ID recorded by the first sync (or sign-in), or NULL.
 * (transfer full) (nullable) */
char        *pd_store_dup_partner_tenant_id (PdStore     *self);
/* Its company name as Partner Center gave it, or NULL. (transfer full) (nullable) */
char        *pd_store_dup_partner_name    (PdStore       *self);
/* The cache of the account tenant_id, beside current_path: one cache file per Partner Center
 * account ("partner-desk-<tenant>.db"). (transfer full) */
char        *pd_store_path_for_partner    (const char    *current_path,
                                           const char    *tenant_id);
/* TRUE when the cache may hold tenant_id's customers read from api_url: it has no partner
 * yet, or this one (and the same cloud: the API's host, loopback excepted). Otherwise
 * PD_STORE_ERROR_OTHER_PARTNER, with a message naming both accounts. Writes nothing. */
gboolean     pd_store_check_partner       (PdStore       *self,
                                           const char    *tenant_id,
                                           const char    *name,
                                           const char    *api_url,
                                           GError       **error);
/* pd_store_check_partner, then records the partner (tenant, name, API URL) when it passes. */
gboolean     pd_store_claim_partner       (PdStore       *self,
                                           const char    *tenant_id,
                                           const char    *name,
                                           const char    *api_url,
                                           GError       **error);

/* ---- the reseller scope ("My resellers": people who manage part of a distributor) ----
 * A scope is a list of indirect reseller tenant ids; NULL (or empty) means every customer.
 * Ids are compared case-insensitively: they are kept lower-case, sorted, without repeats. */
/* The scope kept for this cache: what the next sync covers (the app's preferences and
 * `partner-desk-cli sync --reseller` set it, `--all-resellers` clears it). NULL: all.
 * (transfer full) (nullable) */
char       **pd_store_dup_reseller_scope  (PdStore             *self);
gboolean     pd_store_set_reseller_scope  (PdStore             *self,
                                           const char * const  *reseller_ids,
                                           GError             **error);
/* Records the scope a sync run covers, when it begins. NULL: all customers. */
gboolean     pd_store_set_run_scope       (PdStore             *self,
                                           gint64               run_id,
                                           const char * const  *reseller_ids,
                                           GError             **error);
/* The scope a run covered. (transfer full) (nullable): NULL for all customers. */
char       **pd_store_dup_run_scope       (PdStore             *self,
                                           gint64               run_id);
/* For people: the resellers of a scope by name as the cache knows them ("Contoso Reseller,
 * 1234abcd-…" for one it does not), or "all customers" for NULL. (transfer full) */
char        *pd_store_dup_scope_label     (PdStore             *self,
                                           const char * const  *reseller_ids);
/* ids lower-cased, stripped, sorted, without repeats or empty ones; NULL when none is left.
 * (transfer full) (nullable) */
char       **pd_store_normalize_scope     (const char * const  *reseller_ids);

/* ---- which indirect reseller each customer of a running sync belongs to ----
 * As the per-reseller listings tell it, kept in the connection's temporary storage (past a
 * small cache, in a temp file; gone when the store closes) and not in the sync engine's
 * memory: a distributor's listings attribute a million customers (issue 14). */
/* Attributes the n_tenants tenant_ids to reseller_id, or forgets theirs (reseller_id NULL);
 * with keep_first, a tenant already attributed keeps its reseller; without, it keeps the
 * one the cache has for it if that one is either, else the lower id (in any order, the same). */
gboolean     pd_store_set_resellers_of    (PdStore             *self,
                                           const char * const  *tenant_ids,
                                           guint                n_tenants,
                                           const char          *reseller_id,
                                           gboolean             keep_first,
                                           GError             **error);
/* The reseller id tenant_id is attributed to. (transfer full) (nullable) */
char        *pd_store_dup_reseller_of     (PdStore             *self,
                                           const char          *tenant_id);
guint        pd_store_count_resellers_of  (PdStore             *self);
/* The reseller the cache holds tenant_id under (not removed); NULL for a direct customer or
 * one the cache lacks. (transfer full) (nullable) */
char        *pd_store_dup_cached_reseller (PdStore             *self,
                                           const char          *tenant_id);
/* The same for many, one query per hundred (a listed page's): a table from the tenant id
 * (lower case) to the reseller id, without the direct customers and those the cache lacks;
 * NULL with error when the cache cannot be read. (transfer full) */
GHashTable  *pd_store_dup_cached_resellers (PdStore            *self,
                                            const char * const *tenant_ids,
                                            guint               n_tenants,
                                            GError            **error);
/* Of tenant_ids (as attributed, pd_store_set_resellers_of), those the cache holds read, not
 * removed, and attributed to the same reseller as now: nothing a listing says of them differs
 * from the cache. One query per hundred. FALSE with error when the cache cannot be read.
 * out_settled: (transfer full): a set of copies of those tenant ids, as given. */
gboolean     pd_store_find_settled_resold (PdStore             *self,
                                           const char * const  *tenant_ids,
                                           guint                n_tenants,
                                           GHashTable         **out_settled,
                                           GError             **error);
/* The tenants of the cache's Partner Center customers (not removed) whose reseller differs
 * from the one these attributions name, direct included: moved since they were last read.
 * Meaningful after every reseller's listing (an unscoped run). (transfer full) */
char       **pd_store_dup_reseller_moves  (PdStore             *self,
                                           GError             **error);
/* The names Partner Center's list of indirect resellers gives (ids[i] is named names[i]; an
 * empty or NULL name is skipped): every customer attributed to one of them takes its name now,
 * not when the customer is read again. */
gboolean     pd_store_set_reseller_names  (PdStore             *self,
                                           const char * const  *ids,
                                           const char * const  *names,
                                           guint                n,
                                           GError             **error);
/* Forgets every attribution (a sync run's start). */
gboolean     pd_store_clear_resellers_of  (PdStore             *self,
                                           GError             **error);

/* The demo's cache: written by the app's demo mode (partner-desk --demo), whose Partner
 * Center is a simulator inside the app. Front ends that reach Partner Center themselves (the
 * CLI's sync, consent-link) say so instead of trying the network. */
gboolean     pd_store_get_demo            (PdStore       *self);
gboolean     pd_store_mark_demo           (PdStore       *self,
                                           GError       **error);

/* ---- small key/value settings of the cache (partner tenant id, …) ---- (transfer full) */
char        *pd_store_get_meta            (PdStore       *self,
                                           const char    *key);
gboolean     pd_store_set_meta            (PdStore       *self,
                                           const char    *key,
                                           const char    *value,
                                           GError       **error);

G_END_DECLS
