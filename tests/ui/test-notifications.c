/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-notifications.c — the desktop notification of a background sync, as the desktop
 * receives it.
 *
 * The test owns org.gtk.Notifications on its D-Bus session with a small fake server that
 * records each AddNotification; GNOTIFICATION_BACKEND=gtk makes GApplication use the "gtk"
 * backend that talks to it (the one GIO picks by itself when that name is owned). The
 * application starts as on the desktop (PARTNER_DESK_ACCESS_TOKEN, PARTNER_DESK_API_URL at an
 * in-process simulator) and runs the background syncs its timer would start. */
#include "config.h"

#include "pd-test-util.h"
#include "simulator/pd-simulator.h"
#include "ui-window-fixture.h"

#define TOKEN "notification-test-token"
#define N_CUSTOMERS 20

static const char notifications_xml[] =
  "<node>"
  "  <interface name='org.gtk.Notifications'>"
  "    <method name='AddNotification'>"
  "      <arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/>"
  "    </method>"
  "    <method name='RemoveNotification'>"
  "      <arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/>"
  "    </method>"
  "  </interface>"
  "</node>";

typedef struct
{
  char *app_id;
  char *id;
  char *title;
  char *body;
  char *action;
  char *target;     /* the default action's target, printed */
} Received;

static void
received_free (Received *received)
{
  g_free (received->app_id);
  g_free (received->id);
  g_free (received->title);
  g_free (received->body);
  g_free (received->action);
  g_free (received->target);
  g_free (received);
}

/* The fake server, on a connection of its own, answering on the main context. */
typedef struct
{
  GDBusConnection *connection;
  guint            registration;
  GPtrArray       *received;   /* Received, in arrival order */
} FakeNotifications;

static FakeNotifications fake;

static void
on_method_call (GDBusConnection       *connection,
                const char            *sender,
                const char            *object_path,
                const char            *interface_name,
                const char            *method_name,
                GVariant              *parameters,
                GDBusMethodInvocation *invocation,
                gpointer               user_data)
{
  FakeNotifications *server = user_data;
  g_autoptr(GVariant) notification = NULL;
  g_autoptr(GVariant) target = NULL;
  Received *received;

  if (!g_str_equal (method_name, "AddNotification"))
    {
      g_dbus_method_invocation_return_value (invocation, NULL);
      return;
    }
  received = g_new0 (Received, 1);
  g_variant_get (parameters, "(ss@a{sv})", &received->app_id, &received->id, &notification);
  g_variant_lookup (notification, "title", "s", &received->title);
  g_variant_lookup (notification, "body", "s", &received->body);
  g_variant_lookup (notification, "default-action", "s", &received->action);
  target = g_variant_lookup_value (notification, "default-action-target", NULL);
  if (target != NULL)
    received->target = g_variant_print (target, FALSE);
  g_ptr_array_add (server->received, received);
  g_dbus_method_invocation_return_value (invocation, NULL);
}

/* Owned before GIO looks for it (once per process, at the first notification). */
static void
fake_start (FakeNotifications *server)
{
  static const GDBusInterfaceVTable vtable = { on_method_call, NULL, NULL };
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, NULL);
  g_autoptr(GError) error = NULL;

  server->received = g_ptr_array_new_with_free_func ((GDestroyNotify) received_free);
  server->connection = ui_session_bus_own_name ("org.gtk.Notifications");
  server->registration = g_dbus_connection_register_object (server->connection,
                                                            "/org/gtk/Notifications",
                                                            info->interfaces[0], &vtable, server,
                                                            NULL, &error);
  g_assert_no_error (error);
  g_setenv ("GNOTIFICATION_BACKEND", "gtk", TRUE);
}

static void
fake_stop (FakeNotifications *server)
{
  g_dbus_connection_unregister_object (server->connection, server->registration);
  g_dbus_connection_close_sync (server->connection, NULL, NULL);
  g_clear_object (&server->connection);
  g_clear_pointer (&server->received, g_ptr_array_unref);
}

/* ---- fixture: the application signed in to a simulator ---- */

typedef struct
{
  AppFixture   base;
  PdSimulator *simulator;
  PdSession   *session;
  gboolean     finished;
  gint64       run_id;          /* of the last run */
  char        *error_message;   /* of the last run, or NULL */
} NotifyFixture;

static void
on_sync_finished (PdSession     *session,
                  gint64         run_id,
                  const GError  *error,
                  gboolean       background,
                  NotifyFixture *fixture)
{
  g_clear_pointer (&fixture->error_message, g_free);
  fixture->error_message = error != NULL ? g_strdup (error->message) : NULL;
  fixture->run_id = run_id;
  fixture->finished = TRUE;
}

/* data: the token the application starts with (NULL: the one the simulator accepts). */
static void
notify_fixture_set_up (NotifyFixture *fixture,
                       gconstpointer  data)
{
  PdSimulatorOptions options;
  g_autoptr(GError) error = NULL;

  pd_simulator_options_init (&options);
  options.n_customers = N_CUSTOMERS;
  options.token = TOKEN;
  fixture->simulator = pd_simulator_new (&options);
  g_assert_true (pd_simulator_start (fixture->simulator, 0, &error));
  g_assert_no_error (error);

  g_ptr_array_set_size (fake.received, 0);
  g_setenv ("PARTNER_DESK_API_URL", pd_simulator_get_base_url (fixture->simulator), TRUE);
  g_setenv ("PARTNER_DESK_ACCESS_TOKEN", data != NULL ? data : TOKEN, TRUE);
  app_fixture_set_up (&fixture->base, NULL);
  g_assert_true (PD_IS_WINDOW (app_fixture_start (&fixture->base)));
  fixture->session = pd_application_get_session (fixture->base.app);
  g_assert_true (pd_session_get_signed_in (fixture->session));
  g_signal_connect (fixture->session, "sync-finished", G_CALLBACK (on_sync_finished), fixture);
}

static void
notify_fixture_tear_down (NotifyFixture *fixture,
                          gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (fixture->session, fixture);
  app_fixture_tear_down (&fixture->base, NULL);
  g_unsetenv ("PARTNER_DESK_ACCESS_TOKEN");
  g_setenv ("PARTNER_DESK_API_URL", "http://127.0.0.1:9", TRUE);
  g_assert_finalize_object (fixture->simulator);
  g_free (fixture->error_message);
}

/* Runs one sync as the background timer does (or as the user does), to its end. */
static void
run_sync (NotifyFixture *fixture,
          gboolean       background)
{
  fixture->finished = FALSE;
  g_assert_true (pd_session_sync (fixture->session, PD_SYNC_MODE_AUTO, background));
  g_assert_true (pd_test_wait_for_flag (&fixture->finished, 60000));
}

static gboolean
has_notification (gpointer data)
{
  return fake.received->len > 0;
}

static Received *
wait_for_notification (void)
{
  g_assert_true (pd_test_wait_until (has_notification, NULL, 10000));
  return g_ptr_array_index (fake.received, 0);
}

static void
assert_opens_sync_view (NotifyFixture *fixture,
                        Received      *received)
{
  g_assert_cmpstr (received->app_id, ==,
                   g_application_get_application_id (G_APPLICATION (fixture->base.app)));
  g_assert_cmpstr (received->id, ==, "sync-report");
  g_assert_cmpstr (received->action, ==, "app.show-view");
  g_assert_cmpstr (received->target, ==, "'sync'");
}

/* Makes Partner Center change the bill-to of a customer that has a local edit, so that the
 * next run replaces the edit. */
static void
replace_local_edit (NotifyFixture *fixture,
                    const char    *tenant_id)
{
  PdStore *store = pd_session_get_store (fixture->session);
  g_autoptr(PdOrganization) org = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *answer = NULL;

  org = pd_store_find_by_tenant (store, tenant_id, &error);
  g_assert_no_error (error);
  g_assert_true (pd_store_set_bill_to_field (store, pd_organization_get_id (org), PD_BILL_TO_CITY,
                                             "Local City", &error));
  g_assert_no_error (error);
  json = g_strdup_printf ("{\"changeBillTo\": [\"%s\"]}", tenant_id);
  answer = pd_simulator_mutate_json (fixture->simulator, json, &error);
  g_assert_no_error (error);
}

/* A run the user started stays quiet even when it replaced an edit (it is on screen), and so
 * does a background run with nothing to review; a background run in which Partner Center
 * replaced local bill-to edits notifies. */
static void
test_replaced_edit_notifies (NotifyFixture *fixture,
                             gconstpointer  data)
{
  g_auto(GStrv) ids = pd_simulator_dup_customer_ids (fixture->simulator);
  g_autoptr(PdSyncRun) run = NULL;
  Received *received;

  run_sync (fixture, FALSE);
  g_assert_null (fixture->error_message);
  replace_local_edit (fixture, ids[0]);
  run_sync (fixture, FALSE);
  g_assert_null (fixture->error_message);
  run_sync (fixture, TRUE);
  g_assert_null (fixture->error_message);

  replace_local_edit (fixture, ids[1]);
  replace_local_edit (fixture, ids[2]);
  run_sync (fixture, TRUE);
  g_assert_null (fixture->error_message);
  run = pd_store_get_sync_run (pd_session_get_store (fixture->session), fixture->run_id, NULL);
  g_assert_cmpuint (run->n_overrides_replaced, ==, 2);

  received = wait_for_notification ();
  /* Messages from one connection arrive in order: the quiet runs sent nothing before it. */
  g_assert_cmpuint (fake.received->len, ==, 1);
  g_assert_cmpstr (received->title, ==, "Sync finished with changes to review");
  g_assert_cmpstr (received->body, ==, "Partner Center replaced 2 local bill-to edits.");
  assert_opens_sync_view (fixture, received);
}

/* A background run that fails (Partner Center refuses the token) says so, with the reason. */
static void
test_failed_run_notifies (NotifyFixture *fixture,
                          gconstpointer  data)
{
  Received *received;

  run_sync (fixture, TRUE);
  g_assert_nonnull (fixture->error_message);

  received = wait_for_notification ();
  g_assert_cmpuint (fake.received->len, ==, 1);
  g_assert_cmpstr (received->title, ==, "Background sync failed");
  g_assert_cmpstr (received->body, ==, fixture->error_message);
  assert_opens_sync_view (fixture, received);
}

int
main (int    argc,
      char **argv)
{
  int status;

  window_fixture_init (&argc, &argv);
  /* The strings compared are the untranslated ones. */
  g_setenv ("LANGUAGE", "C", TRUE);
  fake_start (&fake);

  g_test_add ("/notifications/replaced-edit", NotifyFixture, NULL, notify_fixture_set_up,
              test_replaced_edit_notifies, notify_fixture_tear_down);
  g_test_add ("/notifications/failed-run", NotifyFixture, "refused-token", notify_fixture_set_up,
              test_failed_run_notifies, notify_fixture_tear_down);
  status = g_test_run ();
  fake_stop (&fake);
  return status;
}
