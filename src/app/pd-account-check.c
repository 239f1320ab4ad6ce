/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-account-check.c — asks Partner Center for the account status and records it. */
#include "config.h"

#include <glib/gi18n.h>

#include "pd-account-check.h"

typedef struct
{
  PdSession *session;
  gint64     org_id;
} Check;

static void
check_free (Check *check)
{
  g_object_unref (check->session);
  g_free (check);
}

/* A store that cannot record the status does not hide the answer: it is still returned. */
static void
record_account_status (Check           *check,
                       PdAccountStatus  status)
{
  g_autoptr(GError) error = NULL;

  if (!pd_store_set_account_status (pd_session_get_store (check->session), check->org_id,
                                    status, &error))
    g_warning ("Could not record the account status: %s", error->message);
  pd_session_notify_changed (check->session, check->org_id);
}

static void
on_validation_status (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  PdPcValidationStatus *status =
    pd_pc_client_get_validation_status_finish (PD_PC_CLIENT (source), result, &error);

  if (status == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  record_account_status (g_task_get_task_data (task), status->status);
  g_task_return_pointer (task, status, (GDestroyNotify) pd_pc_validation_status_free);
}

void
pd_account_check_async (PdSession           *session,
                        PdOrganization      *org,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PdPcClient *client;
  Check *check;

  g_return_if_fail (PD_IS_SESSION (session));
  g_return_if_fail (PD_IS_ORGANIZATION (org));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pd_account_check_async);
  client = pd_session_get_client (session);
  if (client == NULL || pd_organization_get_tenant_id (org) == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                               _("Sign in to Partner Center first."));
      return;
    }
  check = g_new0 (Check, 1);
  check->session = g_object_ref (session);
  check->org_id = pd_organization_get_id (org);
  g_task_set_task_data (task, check, (GDestroyNotify) check_free);
  pd_pc_client_get_validation_status_async (client, pd_organization_get_tenant_id (org),
                                            cancellable, on_validation_status,
                                            g_steal_pointer (&task));
}

PdPcValidationStatus *
pd_account_check_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
