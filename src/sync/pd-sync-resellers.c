/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-sync-resellers.c — a sync run's indirect resellers: who owns which customer, the scope's
 * resellers, and the reseller of a customer the scope's listings lacked. */
#include "config.h"

#include <glib/gi18n.h>

#include "pd-sync-run-private.h"

/* The reseller of Partner Center's list with this id, or NULL. */
static const PdPcReseller *
lookup_reseller (SyncRun    *run,
                 const char *id)
{
  g_autofree char *key = id != NULL ? g_ascii_strdown (id, -1) : NULL;

  return key != NULL ? g_hash_table_lookup (run->reseller_by_id, key) : NULL;
}

/* Adds reseller to those lookup_reseller finds (the first of an id stays). */
static void
index_reseller (SyncRun            *run,
                const PdPcReseller *reseller)
{
  g_autofree char *key = reseller->id != NULL ? g_ascii_strdown (reseller->id, -1) : NULL;

  if (key != NULL && !g_hash_table_contains (run->reseller_by_id, key))
    g_hash_table_insert (run->reseller_by_id, g_steal_pointer (&key), (gpointer) reseller);
}

/* The reseller a listing attributed a customer to: one of Partner Center's list, or of the
 * scope when that list lacks it. */
static const PdPcReseller *
attributed_reseller (SyncRun    *run,
                     const char *id)
{
  const PdPcReseller *reseller = lookup_reseller (run, id);

  for (guint i = 0; reseller == NULL && run->scope_resellers != NULL
                    && i < run->scope_resellers->len; i++)
    {
      const PdPcReseller *candidate = g_ptr_array_index (run->scope_resellers, i);

      if (g_ascii_strcasecmp (candidate->id, id) == 0)
        reseller = candidate;
    }
  return reseller;
}

const PdPcReseller *
_pd_sync_find_reseller (SyncRun          *run,
                        const PdSyncItem *item)
{
  g_autofree char *id = pd_store_dup_reseller_of (run->self->store, item->tenant_id);
  const PdPcReseller *reseller = id != NULL ? attributed_reseller (run, id) : NULL;

  /* The per-reseller lists are the reliable attribution (partner-center-api.md §9); the
   * customer's own associatedPartnerId is only a fallback for one they missed. */
  return reseller != NULL ? reseller : lookup_reseller (run, item->associated_partner_id);
}

gboolean
_pd_sync_attribute (SyncRun            *run,
                    GPtrArray          *customers,
                    const PdPcReseller *reseller,
                    gboolean            keep_first)
{
  g_autoptr(GPtrArray) ids = _pd_sync_page_ids (customers);
  g_autoptr(GError) error = NULL;

  if (pd_store_set_resellers_of (run->self->store, (const char * const *) ids->pdata, ids->len,
                                 reseller->id, keep_first, &error))
    return TRUE;
  _pd_sync_fail_run (run, error, _("Could not store the customers"));
  return FALSE;
}

typedef struct {
  GTask        *task;
  PdPcReseller *reseller;   /* borrowed from run->resellers */
} ResellerListing;

static gboolean
on_reseller_page (GPtrArray *customers,
                  gpointer   user_data)
{
  ResellerListing *listing = user_data;
  SyncRun *run = g_task_get_task_data (listing->task);

  return !_pd_sync_stopping (run) && _pd_sync_attribute (run, customers, listing->reseller, FALSE);
}

static void
on_reseller_customers_listed (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  ResellerListing *listing = user_data;
  g_autoptr(GTask) task = listing->task;
  SyncRun *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  run->pending--;
  if (pd_pc_client_list_customers_finish (PD_PC_CLIENT (source), result, &error) < 0)
    {
      if (run->step_error == NULL)
        run->step_error = g_steal_pointer (&error);
    }
  /* Microsoft's tools take that answer as the end of a list, but 400/2000 is also Partner
   * Center's generic error: the customers this list did not reach are not known to have left
   * the reseller. */
  else if (pd_pc_client_list_ended_by_answer (result) && listing->reseller->id != NULL)
    g_hash_table_add (run->unproven_resellers, g_ascii_strdown (listing->reseller->id, -1));
  g_free (listing);
  if (run->pending == 0)
    _pd_sync_after_prepare_step (run, _pd_sync_start_resellers, _pd_sync_after_resellers,
                                 _("Could not list the customers of the indirect resellers"));
}

static void
list_reseller_customers (SyncRun      *run,
                         PdPcReseller *reseller)
{
  ResellerListing *listing = g_new0 (ResellerListing, 1);

  listing->task = g_object_ref (run->task);
  listing->reseller = reseller;
  run->pending++;
  pd_pc_client_list_customers_async (run->self->client, PD_PC_FILTER_INDIRECT_RESELLER,
                                     reseller->id, on_reseller_page, listing, run->cancellable,
                                     on_reseller_customers_listed, listing);
}

static PdPcReseller *
reseller_new (const char *id,
              const char *name)
{
  PdPcReseller *reseller = g_new0 (PdPcReseller, 1);

  reseller->id = g_strdup (id);
  reseller->name = g_strdup (name);
  return reseller;
}

/* The reseller of each id of the scope, as Partner Center lists it. An id it does not list
 * (the relationship ended, or a mistyped id) is still listed by the filter: its customers that
 * Partner Center no longer gives are then removed, within the mass-removal guard. */
static void
set_scope_resellers (SyncRun *run)
{
  g_autoptr(GStrvBuilder) unlisted = g_strv_builder_new ();

  g_clear_pointer (&run->scope_resellers, g_ptr_array_unref);
  run->scope_resellers = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_pc_reseller_free);
  for (guint i = 0; run->scope[i] != NULL; i++)
    {
      const PdPcReseller *known = lookup_reseller (run, run->scope[i]);

      if (known == NULL)
        g_debug ("sync: reseller %s of the scope is not among Partner Center's", run->scope[i]);
      /* Said by the front ends (a scope kept for the next syncs would find nothing). */
      if (known == NULL && !run->resellers_refused)
        g_strv_builder_add (unlisted, run->scope[i]);
      g_ptr_array_add (run->scope_resellers,
                       known != NULL ? reseller_new (known->id, known->name)
                                     : reseller_new (run->scope[i], NULL));
    }
  g_clear_pointer (&run->self->unlisted_resellers, g_strfreev);
  run->self->unlisted_resellers = g_strv_builder_end (unlisted);
  if (run->self->unlisted_resellers[0] == NULL)
    g_clear_pointer (&run->self->unlisted_resellers, g_strfreev);
}

/* A reseller renamed in Partner Center is named so on all its customers now, not as each is
 * read again (a customer of its own changes nothing then). A failure costs only that. */
static void
store_reseller_names (SyncRun   *run,
                      GPtrArray *resellers)
{
  g_autofree const char **ids = g_new0 (const char *, resellers->len + 1);
  g_autofree const char **names = g_new0 (const char *, resellers->len + 1);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < resellers->len; i++)
    {
      const PdPcReseller *reseller = g_ptr_array_index (resellers, i);

      ids[i] = reseller->id;
      names[i] = reseller->name;
    }
  if (!pd_store_set_reseller_names (run->self->store, ids, names, resellers->len, &error))
    g_message ("sync: could not store the resellers' names: %s", error->message);
}

static void
on_resellers_listed (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SyncRun *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GPtrArray *resellers;

  run->pending--;
  resellers = pd_pc_client_list_indirect_resellers_finish (PD_PC_CLIENT (source), result, &error);
  /* Forbidden: not an indirect provider (no resellers), or a role that may not read them. The
   * run then tells nothing about resellers: each customer keeps the reseller the cache has
   * (_pd_sync_item_to_organization), none for a direct partner's. */
  run->resellers_refused = g_error_matches (error, PD_PC_ERROR, PD_PC_ERROR_FORBIDDEN);
  if (run->resellers_refused)
    resellers = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_pc_reseller_free);
  if (resellers == NULL)
    {
      run->step_error = g_steal_pointer (&error);
      _pd_sync_after_prepare_step (run, _pd_sync_start_resellers, _pd_sync_after_resellers,
                                   _("Could not list the indirect resellers"));
      return;
    }
  run->resellers = resellers;
  for (guint i = 0; i < resellers->len; i++)
    index_reseller (run, g_ptr_array_index (resellers, i));
  store_reseller_names (run, resellers);
  /* A scoped run's listing is the per-reseller lists: it attributes as it goes. */
  if (run->scope != NULL)
    set_scope_resellers (run);
  for (guint i = 0; run->scope == NULL && i < resellers->len && !_pd_sync_stopping (run); i++)
    list_reseller_customers (run, g_ptr_array_index (resellers, i));
  if (run->pending == 0)
    _pd_sync_after_prepare_step (run, _pd_sync_start_resellers, _pd_sync_after_resellers, NULL);
}

void
_pd_sync_start_resellers (SyncRun *run)
{
  g_autoptr(GError) error = NULL;

  _pd_sync_report (run, PD_SYNC_STAGE_RESELLERS, 0, 0, TRUE);
  g_hash_table_remove_all (run->reseller_by_id);
  g_hash_table_remove_all (run->unproven_resellers);
  g_clear_pointer (&run->resellers, g_ptr_array_unref);
  if (!pd_store_clear_resellers_of (run->self->store, &error))
    {
      _pd_sync_fail_run (run, error, _("Could not list the indirect resellers"));
      _pd_sync_maybe_finish (run);
      return;
    }
  run->pending++;
  pd_pc_client_list_indirect_resellers_async (run->self->client, run->cancellable,
                                              on_resellers_listed, g_object_ref (run->task));
}

/* The reseller the cache holds tenant_id under when that reseller's list may have been cut
 * short this run (else NULL), and in *out_attributed the one a listing of the run gave. */
static char *
dup_unproven_reseller (SyncRun     *run,
                       const char  *tenant_id,
                       char       **out_attributed)
{
  g_autofree char *cached = NULL;
  g_autofree char *key = NULL;

  *out_attributed = NULL;
  if (g_hash_table_size (run->unproven_resellers) == 0 || run->resellers_refused)
    return NULL;
  cached = pd_store_dup_cached_reseller (run->self->store, tenant_id);
  key = cached != NULL ? g_ascii_strdown (cached, -1) : NULL;
  if (key == NULL || !g_hash_table_contains (run->unproven_resellers, key))
    return NULL;
  *out_attributed = pd_store_dup_reseller_of (run->self->store, tenant_id);
  return g_steal_pointer (&cached);
}

gboolean
_pd_sync_reseller_unproven (SyncRun    *run,
                            const char *tenant_id)
{
  g_autofree char *attributed = NULL;
  g_autofree char *cached = dup_unproven_reseller (run, tenant_id, &attributed);

  /* Another reseller's list gave it: it may be resold by both. */
  return cached != NULL && (attributed == NULL || g_ascii_strcasecmp (attributed, cached) != 0);
}

gboolean
_pd_sync_made_direct_unproven (SyncRun    *run,
                               const char *tenant_id)
{
  g_autofree char *attributed = NULL;
  g_autofree char *cached = dup_unproven_reseller (run, tenant_id, &attributed);

  return cached != NULL && attributed == NULL;
}

/* The one of resellers the cache holds tenant_id under, else the first (NULL: none). */
static const PdPcReseller *
choose_reseller (SyncRun    *run,
                 const char *tenant_id,
                 GPtrArray  *resellers)
{
  g_autofree char *cached_reseller = NULL;

  if (resellers->len < 2)
    return resellers->len > 0 ? g_ptr_array_index (resellers, 0) : NULL;
  cached_reseller = pd_store_dup_cached_reseller (run->self->store, tenant_id);
  for (guint i = 0; cached_reseller != NULL && i < resellers->len; i++)
    {
      const PdPcReseller *reseller = g_ptr_array_index (resellers, i);

      if (g_ascii_strcasecmp (reseller->id, cached_reseller) == 0)
        return reseller;
    }
  return g_ptr_array_index (resellers, 0);
}

/* Attributes a customer check_unseen found, or one whose reseller's list may have been cut
 * short (_pd_sync_reseller_unproven), to the reseller Partner Center names for it (none: a
 * direct customer). Its associatedPartnerId is not relied on: GET by id may lack it
 * (partner-center-api.md §4, §9). */
void
_pd_sync_attribute_checked (SyncRun    *run,
                            PdSyncItem *item,
                            GPtrArray  *resellers)
{
  const PdPcReseller *reseller = choose_reseller (run, item->tenant_id, resellers);
  const PdPcReseller *known = reseller != NULL ? lookup_reseller (run, reseller->id) : NULL;
  const char *tenant_ids[] = { item->tenant_id };
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&item->associated_partner_id, g_free);
  /* A reseller that the provider's list lacked: its own answer names it. */
  if (reseller != NULL && known == NULL)
    {
      PdPcReseller *added = reseller_new (reseller->id, reseller->name);

      g_ptr_array_add (run->resellers, added);
      index_reseller (run, added);
      known = added;
    }
  if (!pd_store_set_resellers_of (run->self->store, tenant_ids, 1,
                                  known != NULL ? known->id : NULL, FALSE, &error))
    _pd_sync_fail_run (run, error, _("Could not store the customers"));
}

void
_pd_sync_keep_cached_reseller (SyncRun    *run,
                               PdSyncItem *item)
{
  g_autofree char *cached = pd_store_dup_cached_reseller (run->self->store, item->tenant_id);
  const PdPcReseller *known = cached != NULL ? lookup_reseller (run, cached) : NULL;
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();

  if (known != NULL)
    g_ptr_array_add (kept, (gpointer) known);
  _pd_sync_attribute_checked (run, item, kept);
}
