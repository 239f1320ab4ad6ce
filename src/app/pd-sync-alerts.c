/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-sync-alerts.c — see pd-sync-alerts.h. */
#include "config.h"

#include <glib/gi18n.h>

#include "api/pd-pc-client.h"
#include "pd-app-util.h"
#include "pd-sign-in-dialog.h"
#include "pd-sync-alerts.h"
#include "sync/pd-sync-engine.h"

#define ALERT_KEY "pd-sync-alert"

/* Whether an alert with heading is on screen over parent still. */
static gboolean
alert_shown (GtkWindow  *parent,
             const char *heading)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (g_object_get_data (l->data, ALERT_KEY) != NULL
        && gtk_window_get_transient_for (l->data) == parent && gtk_widget_get_visible (l->data)
        && g_strcmp0 (adw_message_dialog_get_heading (l->data), heading) == 0)
      return TRUE;
  return FALSE;
}

/* Marks and shows an alert, unless one with its heading is on screen still: the next sync's
 * (a timer's every few minutes, or Sync Now again) waits for the user to answer that one
 * instead of piling up. Another kind of alert is shown beside it. */
static void
present_alert (GtkWidget *dialog)
{
  if (alert_shown (gtk_window_get_transient_for (GTK_WINDOW (dialog)),
                   adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog))))
    {
      gtk_window_destroy (GTK_WINDOW (dialog));
      return;
    }
  g_object_set_data (G_OBJECT (dialog), ALERT_KEY, GINT_TO_POINTER (TRUE));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_mass_removal_response (AdwMessageDialog *dialog,
                          const char       *response,
                          PdSession        *session)
{
  if (g_strcmp0 (response, "mark") == 0)
    pd_session_sync_allowing_mass_removal (session);
}

/* Keeping them is the default: a listing that lost most customers is more often a wrong
 * account or a Partner Center fault than customers leaving. */
static void
ask_mass_removal (GtkWindow    *parent,
                  PdSession    *session,
                  const GError *error)
{
  const PdAppQuestion answers = { "keep", _("_Keep Them"), "mark", _("_Mark Removed"),
                                  ADW_RESPONSE_DESTRUCTIVE, FALSE };
  GtkWidget *dialog = pd_app_util_new_question (parent, _("Mark Most Customers Removed?"),
                                                error->message, &answers);

  g_signal_connect_object (dialog, "response", G_CALLBACK (on_mass_removal_response), session,
                           0);
  present_alert (dialog);
}

static void
tell_other_partner (GtkWindow    *parent,
                    const GError *error)
{
  GtkWidget *dialog = pd_app_util_new_message (parent, _("Another Partner Center Account"),
                                               error->message);

  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog), "%s\n\n%s", error->message,
                                  _("Partner Desk keeps one cache per account. Sign out, then "
                                    "sign in with the account whose customers this cache "
                                    "holds, or sign in with the other account to open its "
                                    "own cache."));
  present_alert (dialog);
}

/* Partner Center refused the token of PARTNER_DESK_ACCESS_TOKEN: the error says so, in the
 * CLI's words (libpd-api writes them). Signing in cannot help while the variable is set (the
 * app would use the token again), so nothing but Close is offered. */
static gboolean
is_env_token_refused (PdSession    *session,
                      const GError *error)
{
  PdAuth *auth = pd_session_get_auth (session);

  return (g_error_matches (error, PD_PC_ERROR, PD_PC_ERROR_UNAUTHORIZED)
          || g_error_matches (error, PD_PC_ERROR, PD_PC_ERROR_MFA_REQUIRED))
         && auth != NULL && pd_auth_get_token_from_environment (auth);
}

static void
tell_env_token_refused (GtkWindow    *parent,
                        const GError *error)
{
  /* Translators: the title of a message: Partner Center refused the access token given in
   * the environment variable PARTNER_DESK_ACCESS_TOKEN */
  present_alert (pd_app_util_new_message (parent, _("Access Token Refused"), error->message));
}

/* A refusal the window shows nowhere else: not the user's own cancel, and not a network
 * failure, which the unreachable banner says. */
static gboolean
is_unsaid (const GError *error)
{
  return !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
         && !g_error_matches (error, PD_PC_ERROR, PD_PC_ERROR_NETWORK)
         && !g_error_matches (error, PD_PC_ERROR, PD_PC_ERROR_TIMEOUT);
}

static void
on_refused_response (AdwMessageDialog *dialog,
                     const char       *response,
                     PdSession        *session)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (dialog));

  if (g_strcmp0 (response, "sign-in") == 0)
    gtk_window_present (GTK_WINDOW (pd_sign_in_dialog_new (session, parent)));
}

/* A sync the user started that Partner Center (or the cache) refused before it recorded a
 * run: the panel has nothing to show, so the reason is said here. Refused sign-ins (expired,
 * revoked, without multi-factor authentication) offer to sign in again. */
static void
tell_refused (GtkWindow    *parent,
              PdSession    *session,
              const GError *error)
{
  GtkWidget *dialog = pd_app_util_new_message (parent, _("Could Not Sync"), error->message);

  if (g_error_matches (error, PD_PC_ERROR, PD_PC_ERROR_UNAUTHORIZED)
      || g_error_matches (error, PD_PC_ERROR, PD_PC_ERROR_MFA_REQUIRED))
    {
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "sign-in", _("_Sign In…"));
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "sign-in",
                                                  ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "sign-in");
    }
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_refused_response), session, 0);
  present_alert (dialog);
}

gboolean
pd_sync_alerts_show (GtkWindow    *parent,
                     PdSession    *session,
                     gint64        run_id,
                     const GError *error,
                     gboolean      background)
{
  if (g_error_matches (error, PD_SYNC_ERROR, PD_SYNC_ERROR_MASS_REMOVAL))
    ask_mass_removal (parent, session, error);
  else if (g_error_matches (error, PD_STORE_ERROR, PD_STORE_ERROR_OTHER_PARTNER))
    tell_other_partner (parent, error);
  else if (is_env_token_refused (session, error))
    tell_env_token_refused (parent, error);
  else if (!background && run_id <= 0 && is_unsaid (error))
    tell_refused (parent, session, error);
  else
    return FALSE;
  return TRUE;
}
