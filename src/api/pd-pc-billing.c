/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-pc-billing.c — writing a billing profile (partner-center-api.md §5).
 *
 * ETags are short-lived and the offline cache's are stale, so every write first re-reads the
 * profile. The fresh etag goes both into If-Match (as the docs ask) and into
 * attributes.etag of the body (what the SDK really relies on). A 409, 412 or 400/2055 re-reads
 * the profile once more so that the caller can show the user what Partner Center now holds.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "pd-pc-client-private.h"

typedef struct {
  char               *tenant_id;
  PdPcBillingProfile *edited;     /* put: the caller's profile; update: built from fresh */
  PdBillTo           *desired;    /* update only */
  guint32             field_mask;
  PdPcBillingProfile *fresh;      /* the latest read, handed out on conflict */
  char               *sent_body;
  GError             *conflict;   /* the PUT's conflict answer, while the profile is re-read */
} PutState;

static void
put_state_free (PutState *state)
{
  g_free (state->tenant_id);
  g_clear_pointer (&state->edited, pd_pc_billing_profile_free);
  g_clear_pointer (&state->desired, pd_bill_to_free);
  g_clear_pointer (&state->fresh, pd_pc_billing_profile_free);
  g_free (state->sent_body);
  g_clear_error (&state->conflict);
  g_free (state);
}

/* "-42", "\"-42\"" and W/"-42" name the same version. */
static char *
bare_etag (const char *etag)
{
  const char *start = etag;
  gsize len;

  if (g_str_has_prefix (start, "W/"))
    start += 2;
  len = strlen (start);
  if (len >= 2 && start[0] == '"' && start[len - 1] == '"')
    return g_strndup (start + 1, len - 2);
  return g_strdup (start);
}

static gboolean
etags_equal (const char *a,
             const char *b)
{
  g_autofree char *bare_a = a ? bare_etag (a) : NULL;
  g_autofree char *bare_b = b ? bare_etag (b) : NULL;

  return g_strcmp0 (bare_a, bare_b) == 0;
}

static char *
quoted_etag (const char *etag)
{
  g_autofree char *bare = bare_etag (etag);

  return g_strdup_printf ("\"%s\"", bare);
}

/* cause: the PUT's own conflict answer (its request IDs are kept), or NULL when the etag
 * check refused the edit before any PUT. */
static void
return_conflict (GTask        *task,
                 const GError *cause)
{
  GError *error = g_error_new_literal (PD_PC_ERROR, PD_PC_ERROR_CONFLICT,
                                       _("This billing profile was changed in Partner Center "
                                         "in the meantime. Review the current values and try "
                                         "again."));

  pd_pc_error_set_details (error, pd_pc_error_get_code (cause), NULL);
  if (cause != NULL)
    pd_pc_error_set_request_ids (error, pd_pc_error_get_correlation_id (cause),
                                 pd_pc_error_get_request_id (cause));
  g_task_return_error (task, error);
  g_object_unref (task);
}

/* An empty 200/204 answer to the PUT: the profile is what was sent. */
static gpointer
parse_put_answer (GBytes   *body,
                  gpointer  data,
                  GError  **error)
{
  PutState *state = data;
  gsize len;
  const char *text = g_bytes_get_data (body, &len);

  if (len == 0)
    return pd_pc_json_parse_billing_profile (state->sent_body, strlen (state->sent_body), error);
  return pd_pc_json_parse_billing_profile (text, len, error);
}

gboolean
pd_pc_client_billing_put_sent (GAsyncResult *result)
{
  PutState *state;

  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  state = g_task_get_task_data (G_TASK (result));
  return state != NULL && state->sent_body != NULL;
}

static void
on_conflict_reread (GObject      *source,
                    GAsyncResult *result,
                    gpointer      data)
{
  GTask *task = data;
  PutState *state = g_task_get_task_data (task);
  PdPcBillingProfile *fresh = pd_pc_client_get_billing_profile_finish (PD_PC_CLIENT (source),
                                                                       result, NULL);

  /* Partner Center holds exactly what was sent: the change is made. A PUT retried after its
   * answer was lost (a 5xx, a timeout) meets its own first try's etag as a conflict. */
  if (fresh != NULL && pd_bill_to_equal (fresh->bill_to, state->edited->bill_to))
    {
      g_clear_error (&state->conflict);
      g_task_return_pointer (task, fresh, (GDestroyNotify) pd_pc_billing_profile_free);
      g_object_unref (task);
      return;
    }
  /* If even the re-read fails, the profile read before the PUT is the best there is. */
  if (fresh != NULL)
    {
      pd_pc_billing_profile_free (state->fresh);
      state->fresh = fresh;
    }
  return_conflict (task, state->conflict);
}

static void
on_put (GObject      *source,
        GAsyncResult *result,
        gpointer      data)
{
  GTask *task = data;
  PutState *state = g_task_get_task_data (task);
  GError *error = NULL;
  PdPcBillingProfile *saved = pd_pc_request_send_finish (PD_PC_CLIENT (source), result, &error);

  /* 409, 412, or 400 with code 2055 ("Etag is no longer valid"): mapped to CONFLICT. */
  if (g_error_matches (error, PD_PC_ERROR, PD_PC_ERROR_CONFLICT))
    {
      state->conflict = error;
      pd_pc_client_get_billing_profile_async (PD_PC_CLIENT (source), state->tenant_id,
                                              g_task_get_cancellable (task),
                                              on_conflict_reread, task);
      return;
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, saved, (GDestroyNotify) pd_pc_billing_profile_free);
  g_object_unref (task);
}

static void
send_put (GTask *task)
{
  PdPcClient *self = g_task_get_source_object (task);
  PutState *state = g_task_get_task_data (task);
  PdPcBillingProfile body_source = *state->edited;
  PdPcCall call = { 0 };

  /* Unknown fields come from the caller's copy when it has one, else from the fresh read. */
  if (body_source.raw == NULL)
    body_source.raw = state->fresh->raw;
  if (body_source.id == NULL)
    body_source.id = state->fresh->id;
  state->sent_body = pd_pc_json_build_billing_profile_put (&body_source, state->fresh->etag);
  call.method = "PUT";
  call.url = pd_pc_customer_url (self, state->tenant_id, "/profiles/billing");
  call.body = g_bytes_new (state->sent_body, strlen (state->sent_body));
  call.if_match = state->fresh->etag ? quoted_etag (state->fresh->etag) : NULL;
  call.parse = parse_put_answer;
  call.parse_data = state;
  call.result_free = (GDestroyNotify) pd_pc_billing_profile_free;
  pd_pc_request_send_async (self, &call, g_task_get_cancellable (task), on_put, task);
}

/* update: the fresh profile with the masked fields of desired. */
static PdPcBillingProfile *
apply_mask (const PdPcBillingProfile *fresh,
            const PdBillTo           *desired,
            guint32                   mask)
{
  PdPcBillingProfile *edited = pd_pc_billing_profile_copy (fresh);

  for (guint field = 0; field < PD_BILL_TO_N_FIELDS; field++)
    if (mask & (1u << field))
      pd_bill_to_set (edited->bill_to, field, pd_bill_to_get (desired, field));
  return edited;
}

static void
on_fresh (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  GTask *task = data;
  PutState *state = g_task_get_task_data (task);
  GError *error = NULL;

  state->fresh = pd_pc_client_get_billing_profile_finish (PD_PC_CLIENT (source), result, &error);
  if (state->fresh == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (state->desired != NULL)
    state->edited = apply_mask (state->fresh, state->desired, state->field_mask);
  else if (state->edited->etag != NULL && !etags_equal (state->edited->etag, state->fresh->etag))
    {
      /* The edit was based on an older version: never overwrite what someone else saved. */
      return_conflict (task, NULL);
      return;
    }
  send_put (task);
}

static void
start_write (PdPcClient          *self,
             PutState            *state,
             gpointer             source_tag,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, state, (GDestroyNotify) put_state_free);
  pd_pc_client_get_billing_profile_async (self, state->tenant_id, cancellable, on_fresh, task);
}

static PdPcBillingProfile *
finish_write (PdPcClient           *self,
              GAsyncResult         *result,
              PdPcBillingProfile  **out_fresh,
              GError              **error)
{
  PutState *state;
  GError *local_error = NULL;
  PdPcBillingProfile *saved;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  state = g_task_get_task_data (G_TASK (result));
  saved = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (out_fresh != NULL)
    *out_fresh = NULL;
  if (g_error_matches (local_error, PD_PC_ERROR, PD_PC_ERROR_CONFLICT) && out_fresh != NULL)
    *out_fresh = g_steal_pointer (&state->fresh);
  if (local_error != NULL)
    g_propagate_error (error, local_error);
  return saved;
}

void
pd_pc_client_put_billing_profile_async (PdPcClient               *self,
                                        const char               *tenant_id,
                                        const PdPcBillingProfile *profile,
                                        GCancellable             *cancellable,
                                        GAsyncReadyCallback       callback,
                                        gpointer                  user_data)
{
  PutState *state;

  g_return_if_fail (PD_IS_PC_CLIENT (self));
  g_return_if_fail (tenant_id != NULL && profile != NULL);
  state = g_new0 (PutState, 1);
  state->tenant_id = g_strdup (tenant_id);
  state->edited = pd_pc_billing_profile_copy (profile);
  start_write (self, state, pd_pc_client_put_billing_profile_async, cancellable, callback,
               user_data);
}

PdPcBillingProfile *
pd_pc_client_put_billing_profile_finish (PdPcClient          *self,
                                         GAsyncResult        *result,
                                         PdPcBillingProfile **out_fresh,
                                         GError             **error)
{
  return finish_write (self, result, out_fresh, error);
}

void
pd_pc_client_update_billing_profile_async (PdPcClient          *self,
                                           const char          *tenant_id,
                                           const PdBillTo      *desired,
                                           guint32              field_mask,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  PutState *state;

  g_return_if_fail (PD_IS_PC_CLIENT (self));
  g_return_if_fail (tenant_id != NULL && desired != NULL);
  state = g_new0 (PutState, 1);
  state->tenant_id = g_strdup (tenant_id);
  state->desired = pd_bill_to_copy (desired);
  state->field_mask = field_mask;
  start_write (self, state, pd_pc_client_update_billing_profile_async, cancellable, callback,
               user_data);
}

PdPcBillingProfile *
pd_pc_client_update_billing_profile_finish (PdPcClient          *self,
                                            GAsyncResult        *result,
                                            PdPcBillingProfile **out_fresh,
                                            GError             **error)
{
  return finish_write (self, result, out_fresh, error);
}
