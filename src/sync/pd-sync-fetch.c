/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-sync-fetch.c — a sync run's fetching: the full customer list into the cache, the window
 * of listed customers in memory, and the queue of customers read by id. */
#include "config.h"

#include <glib/gi18n.h>

#include "pd-sync-run-private.h"

/* Under a requests-per-minute cap a batch can take a minute to fill: store what arrived every
 * few seconds anyway, so that the list fills and the checkpoint keeps up. */
#define MAX_BATCH_AGE_US          (2 * G_USEC_PER_SEC)
/* Past this many failures in a row the service is down or refusing us: carrying on would
 * only record every remaining customer as failed. */
#define MAX_CONSECUTIVE_FAILURES  25
/* A continuation token that expires in the middle of the customer list (400/2001: a listing
 * of 100,000 customers outlives it, or a change in Partner Center invalidates it) restarts the
 * list from its first page this many times before the run fails. */
#define MAX_LISTING_RESTARTS      2

/* ---- fetching ---- */

/* Twice the client's current limit keeps every slot busy while a response is being handled,
 * and bounds what waits inside the client. */
/* Stored by the run this one resumes: done already. */
static gboolean
stored_by_resumed_run (SyncRun    *run,
                       const char *tenant_id)
{
  return run->checkpoint != NULL && g_hash_table_contains (run->checkpoint, tenant_id);
}

/* Counts a customer the resumed run stored as done, and as seen when the run restores that;
 * FALSE when keeping it as seen failed. */
static gboolean
count_resumed (SyncRun    *run,
               const char *tenant_id)
{
  run->done++;
  return !run->restore_seen || _pd_sync_keep_as_seen (run, tenant_id);
}

static guint
fetch_window (SyncRun *run)
{
  PdPcStats stats = { 0 };

  pd_pc_client_get_stats (run->self->client, &stats);
  return MAX (4, 2 * stats.in_flight_limit);
}

/* Moves the listed customers that waited longest in the cache into the queue, up to the
 * window, once the queue is down to half of it. One the run resumed stored already was counted
 * done when listed (on_customer_page): it is not read again. */
static void
refill_queue (SyncRun *run)
{
  guint window = run->self->listed_window;

  while (run->listed_waiting > 0 && g_queue_get_length (&run->queue) <= window / 2
         && !_pd_sync_stopping (run))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) taken =
        pd_store_take_listed (run->self->store, run->run_id,
                              window - g_queue_get_length (&run->queue), &error);

      if (taken == NULL)
        {
          _pd_sync_fail_run (run, error, _("Could not store the customers"));
          return;
        }
      /* Nothing left: the count can only be ahead of the cache after an error. */
      run->listed_waiting = taken->len > 0 ? run->listed_waiting - MIN (taken->len,
                                                                        run->listed_waiting)
                                           : 0;
      for (guint i = 0; i < taken->len; i++)
        {
          PdOrganization *org = g_ptr_array_index (taken, i);
          const char *tenant_id = pd_organization_get_tenant_id (org);

          if (!stored_by_resumed_run (run, tenant_id))
            g_queue_push_tail (&run->queue,
                               pd_sync_item_new_listed (tenant_id,
                                                        pd_organization_get_name (org)));
        }
    }
}

void
_pd_sync_pump (SyncRun *run)
{
  guint window;
  PdSyncItem *item;

  if (_pd_sync_stopping (run) || run->phase != PHASE_FETCH)
    return;
  window = fetch_window (run);
  while (run->in_flight < window)
    {
      refill_queue (run);
      if (_pd_sync_stopping (run) || (item = g_queue_pop_head (&run->queue)) == NULL)
        break;
      _pd_sync_start_fetch (run, item);
    }
}

static gboolean
batch_is_due (SyncRun *run)
{
  return run->batch->len >= run->self->batch_size
         || (run->batch->len > 0
             && g_get_monotonic_time () - run->batch_started_us >= MAX_BATCH_AGE_US);
}

static void
fetch_op_done (FetchOp *op)
{
  g_autoptr(GTask) task = op->task;
  SyncRun *run = g_task_get_task_data (task);

  pd_sync_item_free (op->item);
  g_clear_pointer (&op->customer, pd_pc_customer_free);
  g_free (op);
  run->in_flight--;
  if (batch_is_due (run) && !_pd_sync_stopping (run))
    _pd_sync_flush_batch (run);
  _pd_sync_pump (run);
  _pd_sync_report_customers (run, FALSE);
  _pd_sync_maybe_finish (run);
}

static void
fetch_succeeded (FetchOp                  *op,
                 const PdPcBillingProfile *profile)
{
  SyncRun *run = g_task_get_task_data (op->task);
  PdOrganization *org = _pd_sync_item_to_organization (run, op->item, profile);
  g_autoptr(GDateTime) asked = g_date_time_new_from_unix_utc (op->asked_at);

  /* The store keeps a bill-to the cache read since then (a push meanwhile) over this one. */
  pd_organization_set_bill_to_read (org, FALSE, asked, NULL);
  _pd_sync_add_to_batch (run, org);
  run->consecutive_failures = 0;
  run->done++;
  fetch_op_done (op);
}

static gboolean
is_refusal (const GError *error)
{
  return g_error_matches (error, PD_PC_ERROR, PD_PC_ERROR_FORBIDDEN)
         || g_error_matches (error, PD_PC_ERROR, PD_PC_ERROR_NOT_FOUND);
}

static void
fetch_failed (FetchOp      *op,
              const GError *error)
{
  SyncRun *run = g_task_get_task_data (op->task);

  if (_pd_sync_is_cancelled_error (error))
    ;
  else if (_pd_sync_needs_sign_in (error))
    _pd_sync_fail_run (run, error, NULL);
  /* A 404 by id is a removal only for a customer that the listing lacked (check_unseen: a
   * scoped run's, or one that may have been cut short). Partner Center may list a customer whose read it answers 404: one the
   * activity log named (a changed bill-to, not a removal: that one is not read) or that failed
   * before is a failure, read again by the next run, until the activity log names its removal
   * or a full listing lacks it. No request says whether one customer is listed. */
  else if (run->checking_unseen && !op->item->answered_for
           && g_error_matches (error, PD_PC_ERROR, PD_PC_ERROR_NOT_FOUND))
    _pd_sync_mark_removed (run, op->item->tenant_id);
  else
    {
      g_debug ("sync: customer %s failed: %s", op->item->tenant_id, error->message);
      _pd_sync_keep_unreadable (run, op->item, error);
      _pd_sync_record_failure (run, op->item, error);
      /* A refusal (403, 404) is Partner Center's answer about this customer: a partner with
       * GDAP-only access may get one for most customers, and the others are still read. */
      if (!is_refusal (error) && ++run->consecutive_failures >= MAX_CONSECUTIVE_FAILURES)
        _pd_sync_fail_run (run, error, _("Too many customers failed in a row"));
    }
  if (!_pd_sync_is_cancelled_error (error))
    run->done++;
  fetch_op_done (op);
}

static void
on_profile_fetched (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  FetchOp *op = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcBillingProfile) profile = NULL;

  profile = pd_pc_client_get_billing_profile_finish (PD_PC_CLIENT (source), result, &error);
  if (profile == NULL)
    fetch_failed (op, error);
  else
    fetch_succeeded (op, profile);
}

/* GET /customers/{id} carries (as Partner Center documents it) the billing profile; a
 * customer without the embedded profile costs a second request. */
static void
fetch_billing_profile (FetchOp            *op,
                       const PdPcCustomer *customer)
{
  SyncRun *run = g_task_get_task_data (op->task);

  if (customer->billing_profile != NULL)
    fetch_succeeded (op, customer->billing_profile);
  else
    pd_pc_client_get_billing_profile_async (run->self->client, op->item->tenant_id,
                                            run->cancellable, on_profile_fetched, op);
}

static void
on_customer_resellers (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  FetchOp *op = user_data;
  SyncRun *run = g_task_get_task_data (op->task);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcCustomer) customer = g_steal_pointer (&op->customer);
  g_autoptr(GPtrArray) resellers = NULL;

  resellers = pd_pc_client_list_customer_resellers_finish (PD_PC_CLIENT (source), result, &error);
  /* Asked only because its reseller's list may have been cut short, the customer was read: an
   * unanswered question leaves it with the reseller the cache holds it under. */
  if (resellers == NULL && !run->checking_unseen && !_pd_sync_is_cancelled_error (error)
      && !_pd_sync_needs_sign_in (error))
    {
      g_debug ("sync: the resellers of %s not read: %s", op->item->tenant_id, error->message);
      _pd_sync_keep_cached_reseller (run, op->item);
    }
  else if (resellers == NULL)
    {
      fetch_failed (op, error);
      return;
    }
  else
    _pd_sync_attribute_checked (run, op->item, resellers);
  fetch_billing_profile (op, customer);
}

/* GET /customers/{id} carries the list's fields and delegated access. */
static void
on_customer_fetched (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  FetchOp *op = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcCustomer) customer = NULL;
  SyncRun *run = g_task_get_task_data (op->task);

  customer = pd_pc_client_get_customer_finish (PD_PC_CLIENT (source), result, &error);
  if (customer == NULL)
    {
      fetch_failed (op, error);
      return;
    }
  pd_sync_item_free (op->item);
  op->item = pd_sync_item_new_from_customer (customer);
  if (!run->checking_unseen && !_pd_sync_reseller_unproven (run, op->item->tenant_id))
    {
      fetch_billing_profile (op, customer);
      return;
    }
  /* Still a customer, though the listing lacked it, or its reseller's listing may have been
   * cut short: whose is it now? */
  op->customer = g_steal_pointer (&customer);
  pd_pc_client_list_customer_resellers_async (run->self->client, op->item->tenant_id,
                                              run->cancellable, on_customer_resellers, op);
}

/* Every customer is fetched by id, listed or not: GET /customers/{id} costs the same one
 * request as GET …/profiles/billing, and only it carries allowDelegatedAccess, which the list
 * lacks (partner-center-api.md §4). Fetching the billing profile alone would store delegated
 * access as unknown in a full run and as known in an incremental one. */
void
_pd_sync_start_fetch (SyncRun    *run,
                      PdSyncItem *item)
{
  FetchOp *op = g_new0 (FetchOp, 1);

  op->task = g_object_ref (run->task);
  op->item = item;
  op->asked_at = g_get_real_time () / G_USEC_PER_SEC;
  run->in_flight++;
  pd_pc_client_get_customer_async (run->self->client, item->tenant_id, run->cancellable,
                                   on_customer_fetched, op);
}

void
_pd_sync_enqueue (SyncRun    *run,
                  PdSyncItem *item)
{
  run->listed++;
  if (stored_by_resumed_run (run, item->tenant_id))
    {
      count_resumed (run, item->tenant_id);
      pd_sync_item_free (item);
      return;
    }
  g_queue_push_tail (&run->queue, item);
}

/* Every customer to fetch is in the queue (complete: and the full list was read to its end):
 * fetch the rest, then finish. */
void
_pd_sync_all_customers_queued (SyncRun  *run,
                               gboolean  complete)
{
  run->listing_done = TRUE;
  run->listing_complete = complete;
  _pd_sync_pump (run);
  _pd_sync_report_customers (run, TRUE);
  _pd_sync_maybe_finish (run);
}

/* ---- full sync: the customer list ---- */

/* Counts the customers of listed that this run had not listed before (new: their indexes) and
 * leaves them waiting in the cache for refill_queue. One stored by the run this one resumes is
 * done already. */
static gboolean
queue_listed (SyncRun   *run,
              GPtrArray *listed)
{
  g_autoptr(GArray) new = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GError) error = NULL;

  if (!pd_store_queue_listed (run->self->store, run->run_id, listed, new, &error))
    {
      _pd_sync_fail_run (run, error, _("Could not store the customers"));
      return FALSE;
    }
  for (guint i = 0; i < new->len; i++)
    {
      PdOrganization *org = g_ptr_array_index (listed, g_array_index (new, guint, i));
      const char *tenant_id = pd_organization_get_tenant_id (org);

      /* Waiting even when done: refill_queue skips it. */
      run->listed++;
      run->listed_waiting++;
      if (stored_by_resumed_run (run, tenant_id) && !count_resumed (run, tenant_id))
        return FALSE;
    }
  return TRUE;
}

GPtrArray *
_pd_sync_page_ids (GPtrArray *customers)
{
  GPtrArray *ids = g_ptr_array_sized_new (customers->len);

  for (guint i = 0; i < customers->len; i++)
    {
      const PdPcCustomer *customer = g_ptr_array_index (customers, i);

      if (customer->id != NULL && *customer->id != '\0')
        g_ptr_array_add (ids, customer->id);
    }
  return ids;
}

/* Whether a scoped incremental run reads a customer its listing gives: only when the cache
 * may be behind Partner Center about it. The activity log (or an earlier failure) names it;
 * or it is not among the page's settled ones (pd_store_find_settled_resold): the cache lacks
 * it, holds it removed or never read, or the listing attributes it to another reseller than
 * the cache's (it moved into the scope, or within it, which the log does not record). Any
 * other has not changed since the run's base: seen as it is, without a request. A full run
 * reads every one (settled is NULL). */
static gboolean
needs_read (SyncRun    *run,
            GHashTable *settled,
            const char *tenant_id)
{
  g_autofree char *key = g_ascii_strdown (tenant_id, -1);

  return settled == NULL || g_hash_table_contains (run->named, key)
         || !g_hash_table_contains (settled, tenant_id);
}

/* The page's customers a scoped incremental run may see without reading them, found with one
 * query per hundred (before: two per customer, on the main loop); NULL for a run that reads
 * every one, or with run failed when the cache cannot be read. */
static gboolean
find_settled (SyncRun     *run,
              GPtrArray   *customers,
              GHashTable **out_settled)
{
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  *out_settled = NULL;
  if (run->kind != RUN_INCREMENTAL || run->named == NULL)
    return TRUE;
  ids = _pd_sync_page_ids (customers);
  if (pd_store_find_settled_resold (run->self->store, (const char * const *) ids->pdata,
                                    ids->len, out_settled, &error))
    return TRUE;
  _pd_sync_fail_run (run, error, _("Could not read the cache"));
  return FALSE;
}

/* Marks seen the customers of unchanged (tenant ids), which a scoped incremental run does not
 * read: not unseen at its end, so neither checked nor removed. */
static gboolean
keep_unchanged_as_seen (SyncRun   *run,
                        GPtrArray *unchanged)
{
  g_autoptr(GError) error = NULL;

  if (pd_store_mark_seen_many (run->self->store, run->run_id,
                               (const char * const *) unchanged->pdata, unchanged->len, &error))
    return TRUE;
  _pd_sync_fail_run (run, error, _("Could not store the customers"));
  return FALSE;
}

/* Whether reseller_id is one of the scope's whose list comes after the one being read. */
static gboolean
listed_later (SyncRun    *run,
              const char *reseller_id)
{
  for (guint i = run->scope_index + 1; reseller_id != NULL && i < run->scope_resellers->len; i++)
    if (g_ascii_strcasecmp (((PdPcReseller *) g_ptr_array_index (run->scope_resellers, i))->id,
                            reseller_id) == 0)
      return TRUE;
  return FALSE;
}

/* A scoped run lists its resellers' customers one reseller after the other, and a customer may
 * be resold by two. One the cache holds under another reseller of the scope, whose list comes
 * later, waits for that list (taken out of customers): listed there too, it stays with that
 * reseller, as an unscoped run keeps the cached reseller that lists it (before: attributed to
 * whichever list came first, read again, and a move recorded that Partner Center did not
 * make); not listed there, it moved, and is taken at the end of the listing
 * (_pd_sync_take_waiting). FALSE with the run failed when the cache cannot be read or
 * written. */
static gboolean
wait_for_cached_reseller (SyncRun   *run,
                          GPtrArray *customers)
{
  const PdPcReseller *reseller = g_ptr_array_index (run->scope_resellers, run->scope_index);
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GHashTable) cached_resellers = NULL;
  g_autoptr(GError) error = NULL;

  /* The last list, none waiting: nothing can wait (nor be read in the cache for it). */
  if (run->waiting == NULL && run->scope_index + 1 >= run->scope_resellers->len)
    return TRUE;
  ids = _pd_sync_page_ids (customers);
  cached_resellers = pd_store_dup_cached_resellers (run->self->store,
                                                    (const char * const *) ids->pdata, ids->len,
                                                    &error);
  if (cached_resellers == NULL)
    {
      _pd_sync_fail_run (run, error, _("Could not read the cache"));
      return FALSE;
    }
  for (guint i = customers->len; i-- > 0;)
    {
      PdPcCustomer *customer = g_ptr_array_index (customers, i);
      /* Tenant ids are compared without case, as everywhere (the table's are lower case). */
      g_autofree char *key = customer->id != NULL ? g_strstrip (g_ascii_strdown (customer->id, -1))
                                                  : NULL;
      const char *cached = key != NULL ? g_hash_table_lookup (cached_resellers, key) : NULL;

      if (cached == NULL)
        continue;
      if (run->waiting != NULL && g_hash_table_remove (run->waiting, key)
          && g_ascii_strcasecmp (cached, reseller->id) == 0)
        {
          g_autoptr(GPtrArray) one = g_ptr_array_new ();

          /* Its cached reseller lists it too: it stays there (and is read now). */
          g_ptr_array_add (one, customer);
          if (!_pd_sync_attribute (run, one, reseller, FALSE))
            return FALSE;
          continue;
        }
      if (g_ascii_strcasecmp (cached, reseller->id) == 0 || !listed_later (run, cached))
        continue;
      if (run->waiting == NULL)
        run->waiting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) pd_pc_customer_free);
      g_hash_table_replace (run->waiting, g_steal_pointer (&key),
                            g_ptr_array_steal_index (customers, i));
    }
  return TRUE;
}

static gboolean process_page (SyncRun   *run,
                              GPtrArray *customers);

static gboolean
on_customer_page (GPtrArray *customers,
                  gpointer   user_data)
{
  SyncRun *run = user_data;

  if (_pd_sync_stopping (run))
    return FALSE;
  /* A scoped listing has attributed nothing else (the first reseller listing wins). */
  if (run->scope != NULL
      && (!_pd_sync_attribute (run, customers,
                               g_ptr_array_index (run->scope_resellers, run->scope_index), TRUE)
          || !wait_for_cached_reseller (run, customers)))
    return FALSE;
  return process_page (run, customers);
}

/* The customers still waiting when the scope's lists are read: those their cached reseller's
 * list lacked, now with the reseller that listed them. */
static void
take_waiting (SyncRun *run)
{
  g_autoptr(GPtrArray) customers = g_ptr_array_new_with_free_func (
    (GDestroyNotify) pd_pc_customer_free);
  GHashTableIter iter;
  gpointer key, customer;

  if (run->waiting == NULL)
    return;
  g_hash_table_iter_init (&iter, run->waiting);
  while (g_hash_table_iter_next (&iter, &key, &customer))
    {
      g_ptr_array_add (customers, customer);
      g_hash_table_iter_steal (&iter);
      g_free (key);
    }
  g_clear_pointer (&run->waiting, g_hash_table_unref);
  if (customers->len > 0 && !_pd_sync_stopping (run))
    process_page (run, customers);
}

/* Stores and queues a page's customers (a scoped run's attributed). */
static gboolean
process_page (SyncRun   *run,
              GPtrArray *customers)
{
  g_autoptr(GPtrArray) listed = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) unchanged = g_ptr_array_new ();
  g_autoptr(GHashTable) settled = NULL;

  if (!find_settled (run, customers, &settled))
    return FALSE;
  for (guint i = 0; i < customers->len; i++)
    {
      const PdPcCustomer *customer = g_ptr_array_index (customers, i);
      g_autoptr(PdSyncItem) item = NULL;

      if (customer->id == NULL || *customer->id == '\0')
        continue;
      if (!needs_read (run, settled, customer->id))
        {
          g_ptr_array_add (unchanged, customer->id);
          continue;
        }
      item = pd_sync_item_new_from_customer (customer);
      g_ptr_array_add (listed, _pd_sync_item_to_organization (run, item, NULL));
    }
  /* The page is in the cache before any of its customers is read. */
  if (!keep_unchanged_as_seen (run, unchanged) || !queue_listed (run, listed)
      || !_pd_sync_store_listed (run, listed)
      || (batch_is_due (run) && !_pd_sync_flush_batch (run)))
    return FALSE;
  _pd_sync_pump (run);
  _pd_sync_report_customers (run, FALSE);
  return TRUE;
}

static void list_customers (SyncRun *run);

/* The list's continuation token expired (400/2001): the list starts again from its first
 * page, bounded. What this run listed already is skipped (pd_store_queue_listed); a
 * customer stored twice would only be seen again, as the store's checkpoint is idempotent. */
static gboolean
restart_listing (SyncRun      *run,
                 const GError *error)
{
  if (!g_error_matches (error, PD_PC_ERROR, PD_PC_ERROR_BAD_REQUEST)
      || g_strcmp0 (pd_pc_error_get_code (error), PD_PC_CODE_TOKEN_EXPIRED) != 0
      || run->listing_restarts >= MAX_LISTING_RESTARTS || _pd_sync_stopping (run))
    return FALSE;
  run->listing_restarts++;
  g_debug ("sync: %s; listing again from the first page (%u)", error->message,
           run->listing_restarts);
  list_customers (run);
  return TRUE;
}

static void
on_customers_listed (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SyncRun *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gint64 n;

  run->pending--;
  n = pd_pc_client_list_customers_finish (PD_PC_CLIENT (source), result, &error);
  if (n < 0 && restart_listing (run, error))
    return;
  if (n < 0)
    _pd_sync_fail_run (run, error, _("Could not list the customers"));
  if (n >= 0 && pd_pc_client_list_ended_by_answer (result))
    run->listing_end_unproven = TRUE;
  /* A scoped listing reads each reseller's customers in turn, each paged to its end. */
  if (n >= 0 && run->scope != NULL && !_pd_sync_stopping (run)
      && run->scope_index + 1 < run->scope_resellers->len)
    {
      run->scope_index++;
      list_customers (run);
      return;
    }
  g_debug ("sync: listing done, %" G_GUINT64_FORMAT " customers", run->listed);
  /* A listing stopped early (cancel, failure) is not complete even without an error. */
  if (n >= 0 && run->scope != NULL && !_pd_sync_stopping (run))
    take_waiting (run);
  _pd_sync_all_customers_queued (run, n >= 0 && !_pd_sync_stopping (run));
}

static void
list_customers (SyncRun *run)
{
  const PdPcReseller *reseller = run->scope != NULL
                                 ? g_ptr_array_index (run->scope_resellers, run->scope_index)
                                 : NULL;

  run->pending++;
  pd_pc_client_list_customers_async (run->self->client,
                                     reseller != NULL ? PD_PC_FILTER_INDIRECT_RESELLER
                                                      : PD_PC_FILTER_NONE,
                                     reseller != NULL ? reseller->id : NULL,
                                     on_customer_page, run, run->cancellable,
                                     on_customers_listed, g_object_ref (run->task));
}

void
_pd_sync_start_listing (SyncRun *run)
{
  g_autoptr(GError) error = NULL;

  run->phase = PHASE_FETCH;
  run->scope_index = 0;
  /* What an earlier run's process left there when it died. */
  if (!pd_store_clear_listed (run->self->store, 0, &error))
    {
      _pd_sync_fail_run (run, error, _("Could not store the customers"));
      _pd_sync_maybe_finish (run);
      return;
    }
  _pd_sync_report (run, PD_SYNC_STAGE_LISTING, 0, 0, TRUE);
  list_customers (run);
}
