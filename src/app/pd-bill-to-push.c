/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-bill-to-push.c — the etag-safe bill-to push to Partner Center. */
#include "config.h"

#include <glib/gi18n.h>

#include "pd-account-check.h"
#include "pd-app-util.h"
#include "pd-bill-to-push.h"
#include "sync/pd-bill-to-change.h"

typedef struct
{
  PdSession          *session;
  PdOrganization     *org;
  GtkWidget          *widget;   /* weak: the editor may go away while a request runs */
  PdPcBillingProfile *fresh;
  guint32             mask;     /* fields to push */
  PdBillTo           *sent;     /* the local bill-to as PUT (its mask fields) */
  GError             *put_error; /* a PUT whose outcome is unknown, while it is read back */
} Push;

/* One push at a time per editor: its action is off from start to the last dialog. */
static void
set_push_enabled (Push     *push,
                  gboolean  enabled)
{
  if (push->widget != NULL)
    gtk_widget_action_set_enabled (push->widget, "editor.push-bill-to", enabled);
}

static void
push_free (Push *push)
{
  set_push_enabled (push, TRUE);
  g_clear_object (&push->session);
  g_clear_object (&push->org);
  g_clear_weak_pointer (&push->widget);
  g_clear_pointer (&push->fresh, pd_pc_billing_profile_free);
  g_clear_pointer (&push->sent, pd_bill_to_free);
  g_clear_error (&push->put_error);
  g_free (push);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Push, push_free)

static GtkWindow *
push_parent (Push *push)
{
  GtkRoot *root = push->widget != NULL ? gtk_widget_get_root (push->widget) : NULL;

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
push_toast (Push       *push,
            const char *message)
{
  if (push->widget != NULL)
    gtk_widget_activate_action (push->widget, "editor.show-toast", "s", message);
}

static void
show_message (Push       *push,
              const char *heading,
              const char *body)
{
  gtk_window_present (GTK_WINDOW (pd_app_util_new_message (push_parent (push), heading, body)));
}

/* Partner Center already holds every local value, through a change the cache has not seen
 * yet: the fresh bill-to is stored, which ends the overrides it settled. Only dropping them
 * would show the cached, older Partner Center values until the next sync. */
static void
store_fresh (Push *push)
{
  g_autoptr(GError) error = NULL;

  if (!pd_store_set_read_bill_to (pd_session_get_store (push->session),
                                  pd_organization_get_id (push->org), push->fresh->bill_to,
                                  push->fresh->etag, &error))
    g_warning ("Could not store the Partner Center bill-to: %s", error->message);
  pd_session_notify_changed (push->session, pd_organization_get_id (push->org));
}

/* Stores the PUT's answer as the cached Partner Center bill-to and drops the pushed overrides
 * it settled, in one transaction (the store keeps the edits typed since). On error the
 * overrides are kept: nothing the user typed is lost. */
static gboolean
store_answer (Push                     *push,
              const PdPcBillingProfile *updated,
              GError                  **error)
{
  return pd_store_set_pushed_bill_to (pd_session_get_store (push->session),
                                      pd_organization_get_id (push->org), updated->bill_to,
                                      updated->etag, push->sent, push->mask, error);
}

typedef struct
{
  PdSession *session;
  gint64     id;
} Refresh;

static void
refresh_free (Refresh *refresh)
{
  g_object_unref (refresh->session);
  g_free (refresh);
}

static void
on_refreshed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Refresh *refresh = user_data;
  g_autoptr(GError) error = NULL;

  /* The answer is stored already: a refresh that fails (a sync running, the network gone)
   * changes nothing, and the next sync reads Partner Center anyway. */
  if (pd_sync_engine_retry_finish (PD_SYNC_ENGINE (source), result, &error) == 0)
    g_debug ("Refresh after push failed: %s", error != NULL ? error->message : "?");
  else
    pd_session_notify_changed (refresh->session, refresh->id);
  refresh_free (refresh);
}

/* Reads the customer back (relationship, company name: what the PUT's answer lacks). */
static void
refresh_in_background (Push *push)
{
  PdSyncEngine *engine = pd_session_get_sync_engine (push->session);
  const char *tenants[] = { pd_organization_get_tenant_id (push->org), NULL };
  Refresh *refresh;

  if (engine == NULL)
    return;
  refresh = g_new0 (Refresh, 1);
  refresh->session = g_object_ref (push->session);
  refresh->id = pd_organization_get_id (push->org);
  pd_sync_engine_retry_async (engine, tenants, NULL, on_refreshed, refresh);
}

static void
on_account_checked (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Push) push = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcValidationStatus) status = pd_account_check_finish (result, &error);
  g_autofree char *text = NULL;

  if (status == NULL)
    text = g_strdup_printf (_("Account verification could not be read: %s"), error->message);
  else if (status->status == PD_ACCOUNT_STATUS_ALLOWED)
    text = g_strdup_printf (_("Account verification: %s"),
                            pd_account_status_describe (status->status));
  if (text != NULL)
    push_toast (push, text);
  else
    show_message (push, status->status == PD_ACCOUNT_STATUS_UNDER_REVIEW
                          ? _("Account Under Review") : _("Account Verification"),
                  pd_account_status_describe (status->status));
}

/* A new company name or address can start Microsoft's account verification: say where the
 * account stands now (recorded for the list's "Account under review" filter). */
static void
check_account (Push *push)
{
  Push *again = g_new0 (Push, 1);

  again->session = g_object_ref (push->session);
  again->org = g_object_ref (push->org);
  g_set_weak_pointer (&again->widget, push->widget);
  pd_account_check_async (push->session, push->org, NULL, on_account_checked, again);
}

static void
finish_push (Push                     *push,
             const PdPcBillingProfile *updated)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  gboolean stored = store_answer (push, updated, &error);

  pd_session_notify_changed (push->session, pd_organization_get_id (push->org));
  if (stored)
    push_toast (push, _("Bill-to updated in Partner Center"));
  else
    {
      body = g_strdup_printf (_("Partner Center accepted the new bill-to, but Partner Desk "
                                "could not store it: %s\n\nYour local edits are kept, so "
                                "nothing is lost. The next sync brings the new Partner Center "
                                "values."), error->message);
      show_message (push, _("Updated in Partner Center Only"), body);
    }
  refresh_in_background (push);
  if (stored && pd_bill_to_change_may_start_review (push->mask))
    check_account (push);
}

static void
show_conflict (Push               *push,
               PdPcBillingProfile *fresh)
{
  g_autofree char *body = NULL;
  g_autofree char *changes = NULL;
  guint32 mask;

  g_clear_pointer (&push->fresh, pd_pc_billing_profile_free);
  push->fresh = fresh;
  mask = pd_bill_to_diff_mask (pd_organization_get_bill_to_partner_center (push->org),
                               fresh->bill_to);
  changes = pd_bill_to_change_describe (pd_organization_get_bill_to_partner_center (push->org),
                                 fresh->bill_to, mask);
  body = g_strdup_printf (_("Someone changed this bill-to in Partner Center while you were "
                            "reviewing it. Nothing was sent. Current Partner Center values:\n\n%s"),
                          *changes != '\0' ? changes : _("(no visible field changed)"));
  show_message (push, _("Changed in Partner Center"), body);
}

/* The bill-to read back after a PUT whose answer was lost: the change was made if Partner Center
 * holds every value sent; if it does not, the PUT's error stands; if the read fails too, the
 * outcome is not known, and the dialog says so. */
static void
on_read_back (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Push) push = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcBillingProfile) now = NULL;
  g_autofree char *text = NULL;

  now = pd_pc_client_get_billing_profile_finish (PD_PC_CLIENT (source), result, &error);
  if (now != NULL && pd_bill_to_change_applied (push->org, now->bill_to, push->mask))
    {
      finish_push (push, now);
      return;
    }
  if (now != NULL)
    {
      pd_app_util_show_error_dialog (push_parent (push), _("Could Not Update Partner Center"),
                                     push->put_error->message);
      return;
    }
  text = pd_bill_to_change_unknown_text (push->put_error, error);
  pd_app_util_show_error_dialog (push_parent (push), _("Change Not Confirmed"), text);
}

static void
on_put_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Push) push = user_data;
  g_autoptr(GError) error = NULL;
  PdPcBillingProfile *fresh = NULL;
  g_autoptr(PdPcBillingProfile) updated = NULL;

  updated = pd_pc_client_put_billing_profile_finish (PD_PC_CLIENT (source), result, &fresh, &error);
  if (updated != NULL)
    {
      finish_push (push, updated);
      return;
    }
  if (g_error_matches (error, PD_PC_ERROR, PD_PC_ERROR_CONFLICT) && fresh != NULL)
    show_conflict (push, fresh);
  else if (!pd_pc_client_billing_put_sent (result))
    {
      g_autofree char *text = NULL;

      g_clear_pointer (&fresh, pd_pc_billing_profile_free);
      /* Translators: %s is why Partner Center's bill-to could not be read */
      text = g_strdup_printf (_("Nothing was sent: Partner Center’s bill-to could not be read "
                                "first (%s). Your local edits are kept."), error->message);
      pd_app_util_show_error_dialog (push_parent (push), _("Could Not Update Partner Center"),
                                     text);
    }
  else if (pd_bill_to_change_outcome_unknown (error))
    {
      const char *tenant_id = pd_organization_get_tenant_id (push->org);

      /* The change may have been made: what Partner Center holds now says. */
      g_clear_pointer (&fresh, pd_pc_billing_profile_free);
      push->put_error = g_steal_pointer (&error);
      pd_pc_client_get_billing_profile_async (PD_PC_CLIENT (source), tenant_id, NULL,
                                              on_read_back, g_steal_pointer (&push));
    }
  else
    {
      g_clear_pointer (&fresh, pd_pc_billing_profile_free);
      pd_app_util_show_error_dialog (push_parent (push), _("Could Not Update Partner Center"),
                                     error->message);
    }
}

static void
send_put (Push *push)
{
  g_autoptr(PdPcBillingProfile) profile = pd_bill_to_change_build_put (push->fresh, push->org,
                                                                       push->mask);

  g_clear_pointer (&push->sent, pd_bill_to_free);
  push->sent = pd_bill_to_copy (pd_organization_get_bill_to (push->org));
  pd_pc_client_put_billing_profile_async (pd_session_get_client (push->session),
                                          pd_organization_get_tenant_id (push->org),
                                          profile, NULL, on_put_done, push);
}

static void
on_confirm_response (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          user_data)
{
  Push *push = user_data;

  if (g_strcmp0 (response, "push") == 0)
    send_put (push);
  else
    push_free (push);
}

static void
confirm_push (Push *push)
{
  g_autofree char *changes = pd_bill_to_change_describe (push->fresh->bill_to,
                                                  pd_organization_get_bill_to (push->org),
                                                  push->mask);
  g_autofree char *body = g_strdup_printf (_("These fields of %s change in Partner Center "
                                             "(current value → your value):\n\n%s%s%s"),
                                           pd_organization_get_name (push->org), changes,
                                           pd_bill_to_change_may_start_review (push->mask)
                                             ? "\n" : "",
                                           pd_bill_to_change_may_start_review (push->mask)
                                             ? pd_bill_to_change_review_warning () : "");
  const PdAppQuestion answers = { "cancel", _("_Cancel"), "push", _("_Push"),
                                  ADW_RESPONSE_SUGGESTED, FALSE };
  GtkWidget *dialog = pd_app_util_new_question (push_parent (push), _("Push to Partner Center?"),
                                                body, &answers);

  g_signal_connect (dialog, "response", G_CALLBACK (on_confirm_response), push);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_fresh_profile (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Push) push = user_data;
  g_autoptr(GError) error = NULL;

  push->fresh = pd_pc_client_get_billing_profile_finish (PD_PC_CLIENT (source), result, &error);
  if (push->fresh == NULL)
    {
      pd_app_util_show_error_dialog (push_parent (push), _("Could Not Read Partner Center"),
                                     error->message);
      return;
    }
  push->mask = pd_bill_to_change_fields (push->org, push->fresh->bill_to);
  if (push->mask == 0)
    {
      store_fresh (push);
      push_toast (push, _("Partner Center already has these values"));
      return;
    }
  confirm_push (g_steal_pointer (&push));
}

static void
fetch_fresh (Push *push)
{
  /* The cached etag is stale by nature: always re-read right before showing the difference. */
  pd_pc_client_get_billing_profile_async (pd_session_get_client (push->session),
                                          pd_organization_get_tenant_id (push->org),
                                          NULL, on_fresh_profile, push);
}

void
pd_bill_to_push_start (PdSession      *session,
                       PdOrganization *org,
                       GtkWidget      *widget)
{
  Push *push;

  g_return_if_fail (PD_IS_SESSION (session));
  g_return_if_fail (PD_IS_ORGANIZATION (org));
  g_return_if_fail (GTK_IS_WIDGET (widget));

  push = g_new0 (Push, 1);
  push->session = g_object_ref (session);
  push->org = g_object_ref (org);
  g_set_weak_pointer (&push->widget, widget);
  set_push_enabled (push, FALSE);
  if (pd_session_get_client (session) == NULL || pd_organization_get_tenant_id (org) == NULL)
    {
      show_message (push, _("Not Connected"),
                    _("Sign in to Partner Center first, then push the bill-to again."));
      push_free (push);
      return;
    }
  fetch_fresh (push);
}
