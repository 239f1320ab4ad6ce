/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-sim-admin.c — the /_simulator/ endpoints: mutations between syncs (recorded in the
 * activity log like real changes), the knobs, and the statistics' entry point. */
#include "pd-simulator-private.h"

#include <string.h>

#include "pd-sim-json.h"

/* Picks up to `count` distinct customers not yet in `touched`. */
static GPtrArray *
pick_customers (PdSimulator *self, PdSimRng *rng, guint count, GHashTable *touched)
{
  GPtrArray *picked = g_ptr_array_new ();
  guint n = pd_sim_data_n_customers (self->data);
  guint attempts = 0;

  while (picked->len < count && attempts++ < count * 20 + 100 && n > 0)
    {
      PdSimCustomer *c = pd_sim_data_customer (self->data, pd_sim_rng_below (rng, n));
      if (g_hash_table_contains (touched, c->id))
        continue;
      g_hash_table_add (touched, c->id);
      g_ptr_array_add (picked, c);
    }
  return picked;
}

/* The customers a mutation names: a number (random picks) or a list of ids. */
static GPtrArray *
mutation_targets (PdSimulator *self, PdSimRng *rng, JsonNode *node, GHashTable *touched,
                  PdSimJson *not_found)
{
  GPtrArray *targets;

  if (node == NULL)
    return g_ptr_array_new ();
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return pick_customers (self, rng, (guint) MAX (json_node_get_int (node), 0), touched);
  targets = g_ptr_array_new ();
  JsonArray *ids = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (ids); i++)
    {
      const char *id = json_array_get_string_element (ids, i);
      PdSimCustomer *c = pd_sim_data_lookup (self->data, id);
      if (c == NULL)
        pd_sim_json_string (not_found, NULL, id);
      else if (!g_hash_table_contains (touched, c->id))
        {
          g_hash_table_add (touched, c->id);
          g_ptr_array_add (targets, c);
        }
    }
  return targets;
}

static void
mutate_add (PdSimulator *self, PdSimRng *rng, JsonNode *node, PdSimJson *w, gint64 now)
{
  pd_sim_json_begin_array (w, "added");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *ids = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (ids); i++)
        {
          PdSimCustomer *c = pd_sim_data_add_customer (self->data, rng,
                                                       json_array_get_string_element (ids, i),
                                                       now);
          if (c != NULL)
            pd_sim_json_string (w, NULL, c->id);
        }
    }
  else if (node != NULL)
    for (gint64 i = 0; i < json_node_get_int (node); i++)
      pd_sim_json_string (w, NULL, pd_sim_data_add_customer (self->data, rng, NULL, now)->id);
  pd_sim_json_end_array (w);
}

static void
mutate_change (PdSimulator *self, PdSimRng *rng, GPtrArray *targets, gboolean rename,
               PdSimJson *w, gint64 now)
{
  pd_sim_json_begin_array (w, rename ? "renamed" : "changedBillTo");
  for (guint i = 0; i < targets->len; i++)
    {
      PdSimCustomer *c = g_ptr_array_index (targets, i);
      if (rename)
        pd_sim_data_rename (self->data, c, rng, now);
      else
        pd_sim_data_change_bill_to (self->data, c, rng, now);
      pd_sim_json_string (w, NULL, c->id);
    }
  pd_sim_json_end_array (w);
}

static void
mutate_remove (PdSimulator *self, GPtrArray *targets, PdSimJson *w, gint64 now)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  /* Copy the ids first: removing frees the customer. */
  for (guint i = 0; i < targets->len; i++)
    g_ptr_array_add (ids, g_strdup (((PdSimCustomer *) g_ptr_array_index (targets, i))->id));
  pd_sim_json_begin_array (w, "removed");
  for (guint i = 0; i < ids->len; i++)
    if (pd_sim_data_remove_customer (self->data, g_ptr_array_index (ids, i), now))
      pd_sim_json_string (w, NULL, g_ptr_array_index (ids, i));
  pd_sim_json_end_array (w);
}

/* The customers each kind of change applies to, none of them twice; returns the JSON array
 * of ids that were named but do not exist. */
static char *
collect_targets (PdSimulator *self, PdSimRng *rng, JsonObject *body, GPtrArray **changed,
                 GPtrArray **renamed, GPtrArray **removed)
{
  g_autoptr(GHashTable) touched = g_hash_table_new (g_str_hash, g_str_equal);
  PdSimJson not_found;

  pd_sim_json_init (&not_found);
  pd_sim_json_begin_array (&not_found, NULL);
  *changed = mutation_targets (self, rng, pd_sim_member (body, "changeBillTo"), touched,
                               &not_found);
  *renamed = mutation_targets (self, rng, pd_sim_member (body, "rename"), touched, &not_found);
  *removed = mutation_targets (self, rng, pd_sim_member (body, "remove"), touched, &not_found);
  pd_sim_json_end_array (&not_found);
  return pd_sim_json_steal (&not_found, NULL);
}

static gboolean
check_mutation (JsonObject *body, GError **error)
{
  static const char * const keys[] = { "changeBillTo", "rename", "add", "remove" };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      JsonNode *node = pd_sim_member (body, keys[i]);
      if (node != NULL && !JSON_NODE_HOLDS_ARRAY (node)
          && json_node_get_value_type (node) != G_TYPE_INT64)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "\"%s\" must be a number or a list of customer ids", keys[i]);
          return FALSE;
        }
    }
  return TRUE;
}

char *
pd_simulator_mutate_json (PdSimulator *self, const char *json, GError **error)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GPtrArray) changed = NULL;
  g_autoptr(GPtrArray) renamed = NULL;
  g_autoptr(GPtrArray) removed = NULL;
  PdSimJson w;
  PdSimRng rng = self->mutate_rng;
  JsonNode *seed;
  gint64 now = g_get_real_time ();
  g_autofree char *missing = NULL;

  g_return_val_if_fail (PD_IS_SIMULATOR (self), NULL);
  body = pd_sim_parse_object (json, json ? strlen (json) : 0, error);
  if (body == NULL || !check_mutation (body, error))
    return NULL;
  seed = pd_sim_member (body, "seed");
  if (seed != NULL && json_node_get_value_type (seed) == G_TYPE_INT64)
    pd_sim_rng_init (&rng, (guint64) json_node_get_int (seed));
  else
    pd_sim_rng_next (&self->mutate_rng); /* the next mutation without a seed differs */

  missing = collect_targets (self, &rng, body, &changed, &renamed, &removed);

  pd_sim_json_init_object (&w);
  mutate_change (self, &rng, changed, FALSE, &w, now);
  mutate_change (self, &rng, renamed, TRUE, &w, now);
  mutate_remove (self, removed, &w, now);
  mutate_add (self, &rng, pd_sim_member (body, "add"), &w, now);
  pd_sim_json_raw (&w, "notFound", missing);
  pd_sim_json_int (&w, "generation", pd_sim_data_generation (self->data));
  pd_sim_json_int (&w, "customers", pd_sim_data_n_customers (self->data));
  pd_sim_json_end_object (&w);
  if (self->expire_tokens_on_mutation)
    pd_simulator_expire_continuation_tokens (self);
  return pd_sim_json_steal (&w, NULL);
}

static const char * const end_of_paging_names[] = {
  "missing-next", "empty-token", "400-2000", "204",
};

gboolean
pd_sim_end_of_paging_from_string (const char *text, PdSimEndOfPaging *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (end_of_paging_names); i++)
    if (g_strcmp0 (text, end_of_paging_names[i]) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

static char *
knobs_json (PdSimulator *self)
{
  PdSimJson w;

  pd_sim_json_init_object (&w);
  pd_sim_json_int (&w, "latencyMs", self->options.latency_ms);
  pd_sim_json_int (&w, "jitterMs", self->options.jitter_ms);
  pd_sim_json_int (&w, "rpm", self->options.rpm);
  pd_sim_json_int (&w, "rateWindowMs", self->options.rate_window_ms);
  g_string_append_printf (w.s, ",\"faultRate\":%g", self->options.fault_rate);
  pd_sim_json_int (&w, "pageSize", self->options.page_size_cap);
  pd_sim_json_string (&w, "endOfPaging", end_of_paging_names[self->options.end_of_paging]);
  pd_sim_json_bool (&w, "nextWithV1", self->options.next_link_with_v1);
  pd_sim_json_int (&w, "approveAfterMs", self->options.approve_after_ms);
  pd_sim_json_int (&w, "conflictStatus", self->conflict_status);
  pd_sim_json_int (&w, "accountReviewMs", self->account_review_ms);
  pd_sim_json_int (&w, "continuationTokenTtlS", self->continuation_ttl_s);
  pd_sim_json_bool (&w, "expireTokensOnMutation", self->expire_tokens_on_mutation);
  pd_sim_json_bool (&w, "mfaMissing", self->mfa_missing);
  pd_sim_json_string (&w, "nextLinkStyle", pd_sim_next_link_style_name (self->next_link_style));
  pd_sim_json_bool (&w, "shortBodies", self->short_bodies);
  pd_sim_json_bool (&w, "shortPutBodies", self->short_put_bodies);
  pd_sim_json_bool (&w, "emptyPages", self->empty_pages);
  pd_sim_json_bool (&w, "resellersForbidden", self->resellers_forbidden);
  pd_sim_json_bool (&w, "auditForbidden", self->audit_forbidden);
  return pd_sim_json_finish_object (&w);
}

static gint64
knob_int (JsonObject *body, const char *name, gint64 current)
{
  JsonNode *node = pd_sim_member (body, name);

  return node != NULL && json_node_get_value_type (node) == G_TYPE_INT64
         ? json_node_get_int (node) : current;
}

static gboolean
knob_bool (JsonObject *body, const char *name, gboolean current)
{
  JsonNode *node = pd_sim_member (body, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_boolean (node) : current;
}

/* "refuseBillingProfiles" / "refuseCustomers": {"<tenant id>": 403 | 404 | 5xx | 0, …} (0 ends a
 * refusal; see pd_simulator_set_refusal). */
static void
set_refusals (PdSimulator      *self,
              JsonObject       *body,
              const char       *member,
              PdSimRefuseScope  scope)
{
  JsonNode *node = pd_sim_member (body, member);
  JsonObject *refusals;
  g_autoptr(GList) ids = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;
  refusals = json_node_get_object (node);
  ids = json_object_get_members (refusals);
  for (GList *l = ids; l != NULL; l = l->next)
    pd_simulator_set_refusal (self, l->data, scope,
                              (guint) json_object_get_int_member_with_default (refusals, l->data,
                                                                               403));
}

/* POST /_simulator/knobs {"latencyMs":…, "rpm":…, "faultRate":…, "endOfPaging":"400-2000", …}:
 * changes the knobs given, answers all of them. */
static char *
set_knobs (PdSimulator *self, const char *json, GError **error)
{
  g_autoptr(JsonObject) body = pd_sim_parse_object (json, json ? strlen (json) : 0, error);
  JsonNode *node;
  PdSimEndOfPaging how;
  PdSimNextLinkStyle style;

  if (body == NULL)
    return NULL;
  pd_simulator_set_latency (self, knob_int (body, "latencyMs", self->options.latency_ms),
                            knob_int (body, "jitterMs", self->options.jitter_ms));
  pd_simulator_set_rpm (self, knob_int (body, "rpm", self->options.rpm));
  pd_simulator_set_rate_window (self, knob_int (body, "rateWindowMs",
                                                self->options.rate_window_ms));
  self->options.page_size_cap = knob_int (body, "pageSize", self->options.page_size_cap);
  pd_simulator_set_approve_after (self, knob_int (body, "approveAfterMs",
                                                  self->options.approve_after_ms));
  pd_simulator_set_conflict_status (self, knob_int (body, "conflictStatus",
                                                    self->conflict_status));
  pd_simulator_set_account_review (self, knob_int (body, "accountReviewMs",
                                                   self->account_review_ms));
  pd_simulator_set_continuation_token_ttl (self, knob_int (body, "continuationTokenTtlS",
                                                           self->continuation_ttl_s));
  if ((node = pd_sim_member (body, "faultRate")) != NULL && JSON_NODE_HOLDS_VALUE (node))
    pd_simulator_set_fault_rate (self, json_node_get_double (node));
  self->expire_tokens_on_mutation = knob_bool (body, "expireTokensOnMutation",
                                               self->expire_tokens_on_mutation);
  pd_simulator_set_mfa_missing (self, knob_bool (body, "mfaMissing", self->mfa_missing));
  pd_simulator_set_short_bodies (self, knob_bool (body, "shortBodies", self->short_bodies));
  pd_simulator_set_short_put_bodies (self, knob_bool (body, "shortPutBodies",
                                                      self->short_put_bodies));
  pd_simulator_set_empty_pages (self, knob_bool (body, "emptyPages", self->empty_pages));
  pd_simulator_set_resellers_forbidden (self, knob_bool (body, "resellersForbidden",
                                                         self->resellers_forbidden));
  pd_simulator_set_audit_forbidden (self, knob_bool (body, "auditForbidden",
                                                     self->audit_forbidden));
  if ((node = pd_sim_member (body, "nextLinkStyle")) != NULL && JSON_NODE_HOLDS_VALUE (node)
      && pd_sim_next_link_style_from_string (json_node_get_string (node), &style))
    pd_simulator_set_next_link_style (self, style);
  pd_simulator_set_next_link_with_v1 (self, knob_bool (body, "nextWithV1",
                                                       self->options.next_link_with_v1));
  if ((node = pd_sim_member (body, "endOfPaging")) != NULL && JSON_NODE_HOLDS_VALUE (node)
      && pd_sim_end_of_paging_from_string (json_node_get_string (node), &how))
    pd_simulator_set_end_of_paging (self, how);
  set_refusals (self, body, "refuseBillingProfiles", PD_SIM_REFUSE_BILLING_PROFILE);
  set_refusals (self, body, "refuseCustomers", PD_SIM_REFUSE_CUSTOMER);
  return knobs_json (self);
}


/* The answer to one admin request; NULL and G_IO_ERROR_NOT_FOUND for an unknown one. */
char *
pd_sim_admin_answer (PdSimulator *self, const char *method, const char *name, const char *body,
                     GError **error)
{
  gboolean get = strcmp (method, "GET") == 0;
  gboolean post = strcmp (method, "POST") == 0;

  if (strcmp (name, "stats") == 0 && get)
    return pd_simulator_dup_stats_json (self);
  if (strcmp (name, "mutate") == 0 && post)
    return pd_simulator_mutate_json (self, body, error);
  if (strcmp (name, "knobs") == 0 && post)
    return set_knobs (self, body, error);
  if (strcmp (name, "knobs") == 0 && get)
    return knobs_json (self);
  if (strcmp (name, "expire-continuation-tokens") == 0 && post)
    {
      pd_simulator_expire_continuation_tokens (self);
      return g_strdup ("{}");
    }
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "No such admin endpoint.");
  return NULL;
}
