/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-offline.c — the offline banner follows the network as GIO reports it.
 *
 * A fake NetworkManager (org.freedesktop.NetworkManager with its State and Connectivity
 * properties) runs on the test's D-Bus session, which this program makes its system bus too;
 * GIO's own "networkmanager" network monitor reads it. Taking the network down and bringing it
 * back goes through GIO's monitor, the session's "offline" property and the window's action
 * update, as it does on a laptop losing its Wi-Fi: the banner slides in, Sync is off, and both
 * undo themselves when the network returns.
 *
 * With the network up, a Partner Center that cannot be reached (a loopback simulator that
 * stopped) shows the same banner after a failed sync, with Try Again; Sync stays on, and the
 * next sync that gets through hides it. */
#include "config.h"

#include <string.h>

#include "api/pd-pc-client-private.h"
#include "pd-app-util.h"
#include "pd-test-util.h"
#include "simulator/pd-simulator.h"
#include "ui-window-fixture.h"

#define NM_NAME "org.freedesktop.NetworkManager"
#define NM_PATH "/org/freedesktop/NetworkManager"
/* NMState and NMConnectivityState values (NetworkManager's D-Bus API). */
#define NM_STATE_DISCONNECTED     20
#define NM_STATE_CONNECTED_GLOBAL 70
#define NM_CONNECTIVITY_NONE      1
#define NM_CONNECTIVITY_FULL      4
/* Not loopback (a loopback API never counts as offline), and a name that cannot resolve: no
 * request of this test could reach a real service. */
#define API_URL "https://partner-center.invalid"

static const char nm_xml[] =
  "<node>"
  "  <interface name='" NM_NAME "'>"
  "    <property name='State' type='u' access='read'/>"
  "    <property name='Connectivity' type='u' access='read'/>"
  "  </interface>"
  "</node>";

/* GIO creates its NetworkManager proxy synchronously on the main thread: the fake answers
 * from a thread of its own, or that first GetAll would wait on the blocked main loop. */
typedef struct
{
  GDBusConnection *connection;
  GMainContext    *context;
  GMainLoop       *loop;
  GThread         *thread;
  guint            registration;
  gint             state;          /* atomic */
  gint             connectivity;   /* atomic */
} FakeNetworkManager;

static FakeNetworkManager fake_nm;

static GVariant *
fake_nm_get_property (GDBusConnection *connection,
                      const char      *sender,
                      const char      *object_path,
                      const char      *interface_name,
                      const char      *property_name,
                      GError         **error,
                      gpointer         user_data)
{
  FakeNetworkManager *nm = user_data;

  if (g_str_equal (property_name, "State"))
    return g_variant_new_uint32 ((guint32) g_atomic_int_get (&nm->state));
  return g_variant_new_uint32 ((guint32) g_atomic_int_get (&nm->connectivity));
}

static gpointer
fake_nm_thread (gpointer data)
{
  FakeNetworkManager *nm = data;

  g_main_context_push_thread_default (nm->context);
  g_main_loop_run (nm->loop);
  g_main_context_pop_thread_default (nm->context);
  return NULL;
}

/* Owns the name on a connection of its own and points the system bus at the session bus.
 * Must run before anything calls g_network_monitor_get_default (). */
static void
fake_nm_start (FakeNetworkManager *nm)
{
  static const GDBusInterfaceVTable vtable = { NULL, fake_nm_get_property, NULL };
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (nm_xml, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);

  g_assert_no_error (error);
  nm->state = NM_STATE_CONNECTED_GLOBAL;
  nm->connectivity = NM_CONNECTIVITY_FULL;
  nm->context = g_main_context_new ();
  nm->loop = g_main_loop_new (nm->context, FALSE);
  nm->connection = ui_session_bus_own_name (NM_NAME);
  /* Property calls are dispatched to the context current at registration. */
  g_main_context_push_thread_default (nm->context);
  nm->registration = g_dbus_connection_register_object (nm->connection, NM_PATH,
                                                        info->interfaces[0], &vtable, nm, NULL,
                                                        &error);
  g_main_context_pop_thread_default (nm->context);
  g_assert_no_error (error);

  g_setenv ("DBUS_SYSTEM_BUS_ADDRESS", address, TRUE);
  g_setenv ("GIO_USE_NETWORK_MONITOR", "networkmanager", TRUE);
  nm->thread = g_thread_new ("fake-network-manager", fake_nm_thread, nm);
}

static void
fake_nm_stop (FakeNetworkManager *nm)
{
  g_dbus_connection_unregister_object (nm->connection, nm->registration);
  g_main_loop_quit (nm->loop);
  g_thread_join (nm->thread);
  g_dbus_connection_close_sync (nm->connection, NULL, NULL);
  g_clear_object (&nm->connection);
  g_main_loop_unref (nm->loop);
  g_main_context_unref (nm->context);
}

/* What NetworkManager does when the link goes (or comes back): new values and one
 * PropertiesChanged signal, which GIO's proxy applies to its cache. */
static void
fake_nm_set_online (FakeNetworkManager *nm,
                    gboolean            online)
{
  g_autoptr(GError) error = NULL;
  GVariantBuilder changed;

  g_atomic_int_set (&nm->state, online ? NM_STATE_CONNECTED_GLOBAL : NM_STATE_DISCONNECTED);
  g_atomic_int_set (&nm->connectivity, online ? NM_CONNECTIVITY_FULL : NM_CONNECTIVITY_NONE);
  g_variant_builder_init (&changed, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&changed, "{sv}", "State",
                         g_variant_new_uint32 ((guint32) g_atomic_int_get (&nm->state)));
  g_variant_builder_add (&changed, "{sv}", "Connectivity",
                         g_variant_new_uint32 ((guint32) g_atomic_int_get (&nm->connectivity)));
  g_dbus_connection_emit_signal (nm->connection, NULL, NM_PATH,
                                 "org.freedesktop.DBus.Properties", "PropertiesChanged",
                                 g_variant_new ("(sa{sv}as)", NM_NAME, &changed, NULL), &error);
  g_assert_no_error (error);
}

static GtkRevealer *
offline_revealer (WindowFixture *fixture)
{
  g_autoptr(GPtrArray) banners = ui_find_with_class (GTK_WIDGET (fixture->window),
                                                     "pd-offline-banner");
  GtkWidget *parent;

  g_assert_cmpuint (banners->len, ==, 1);
  parent = gtk_widget_get_parent (g_ptr_array_index (banners, 0));
  g_assert_true (GTK_IS_REVEALER (parent));
  return GTK_REVEALER (parent);
}

static gboolean
banner_shown (gpointer data)
{
  return gtk_revealer_get_reveal_child (offline_revealer (data));
}

static gboolean
banner_hidden (gpointer data)
{
  return !banner_shown (data);
}

static gboolean
network_down (gpointer data)
{
  return !g_network_monitor_get_network_available (g_network_monitor_get_default ());
}

static gboolean
network_up (gpointer data)
{
  return !network_down (data);
}

static void
test_offline_banner (WindowFixture *fixture,
                     gconstpointer  data)
{
  g_autoptr(PdAuth) auth = pd_auth_new_with_token ("offline-test-token");
  g_autoptr(GError) error = NULL;
  GtkWidget *header = ui_find_widget (GTK_WIDGET (fixture->window), ADW_TYPE_HEADER_BAR);
  GtkWidget *sync = ui_find_actionable (header, "win.sync");
  GtkRevealer *revealer = offline_revealer (fixture);

  /* The real GIO backend, fed by the fake, not a fallback that never goes offline. */
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (g_network_monitor_get_default ()), ==,
                   "GNetworkMonitorNM");
  g_assert_nonnull (sync);
  /* Signed in to a Partner Center that needs the network. */
  g_assert_true (pd_session_connect (fixture->session, auth, API_URL, &error));
  g_assert_no_error (error);
  g_assert_false (pd_session_get_offline (fixture->session));
  g_assert_false (gtk_revealer_get_reveal_child (revealer));
  g_assert_true (gtk_widget_get_sensitive (sync));

  fake_nm_set_online (&fake_nm, FALSE);
  g_assert_true (pd_test_wait_until (banner_shown, fixture, 10000));
  g_assert_true (pd_session_get_offline (fixture->session));
  g_assert_false (gtk_widget_get_sensitive (sync));

  fake_nm_set_online (&fake_nm, TRUE);
  g_assert_true (pd_test_wait_until (banner_hidden, fixture, 10000));
  g_assert_false (pd_session_get_offline (fixture->session));
  g_assert_true (gtk_widget_get_sensitive (sync));
}

/* A Partner Center on loopback (the demo's simulator) needs no network: no banner while the
 * network is down. */
static void
test_loopback_never_offline (WindowFixture *fixture,
                             gconstpointer  data)
{
  g_autoptr(PdAuth) auth = pd_auth_new_with_token ("offline-test-token");
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_session_connect (fixture->session, auth, "http://127.0.0.1:9", &error));
  g_assert_no_error (error);
  fake_nm_set_online (&fake_nm, FALSE);
  g_assert_true (pd_test_wait_until (network_down, NULL, 10000));
  g_assert_false (pd_session_get_offline (fixture->session));
  g_assert_false (gtk_revealer_get_reveal_child (offline_revealer (fixture)));

  fake_nm_set_online (&fake_nm, TRUE);
  g_assert_true (pd_test_wait_until (network_up, NULL, 10000));
}

static GtkWidget *
banner (WindowFixture *fixture)
{
  return gtk_revealer_get_child (offline_revealer (fixture));
}

#define SIM_TOKEN "unreachable-test-token"

static PdSimulator *
start_simulator (guint port)
{
  PdSimulatorOptions options;
  g_autoptr(PdSimulator) simulator = NULL;
  g_autoptr(GError) error = NULL;

  pd_simulator_options_init (&options);
  options.n_customers = 5;
  options.token = SIM_TOKEN;
  simulator = pd_simulator_new (&options);
  g_assert_true (pd_simulator_start (simulator, port, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&simulator);
}

static void
count_run (guint *n_finished)
{
  (*n_finished)++;
}

typedef struct
{
  guint n_finished;
  guint n_expected;
} Runs;

static gboolean
run_finished (gpointer data)
{
  Runs *runs = data;

  return runs->n_finished >= runs->n_expected;
}

static gboolean
widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

/* Syncs as the user does with button (a Sync or Try Again button), once it is on screen, and
 * waits for the run to finish (GtkButton's "activate" shows the press for a moment before it
 * emits "clicked"). */
static void
sync_with (WindowFixture *fixture,
           GtkWidget     *button)
{
  Runs runs = { 0, 1 };
  gulong handler = g_signal_connect_swapped (fixture->session, "sync-finished",
                                             G_CALLBACK (count_run), &runs.n_finished);

  g_assert_true (pd_test_wait_until (widget_mapped, button, 10000));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_activate (button));
  g_assert_true (pd_test_wait_until (run_finished, &runs, 60000));
  g_signal_handler_disconnect (fixture->session, handler);
}

/* The network is up, but Partner Center (a simulator on loopback) stops answering: the next
 * sync fails with "connection refused", and the banner says Partner Center cannot be reached,
 * from when the cached copy is, and offers Try Again; Sync stays on. Once Partner Center
 * answers again, Try Again syncs and the banner goes. */
static void
test_unreachable_banner (WindowFixture *fixture,
                         gconstpointer  data)
{
  g_autoptr(PdAuth) auth = pd_auth_new_with_token (SIM_TOKEN);
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GDateTime) last_sync = NULL;
  g_autofree char *when = NULL;
  g_autofree char *url = NULL;
  GtkWidget *header = ui_find_widget (GTK_WIDGET (fixture->window), ADW_TYPE_HEADER_BAR);
  GtkWidget *sync = ui_find_actionable (header, "win.sync");
  GtkWidget *try_again = ui_find_actionable (banner (fixture), "win.sync");
  GtkLabel *label = GTK_LABEL (ui_find_widget (banner (fixture), GTK_TYPE_LABEL));
  PdSimulator *simulator = start_simulator (0);
  const char *text;
  guint port;

  g_assert_true (network_up (NULL));
  g_assert_nonnull (try_again);
  g_assert_false (gtk_widget_get_visible (try_again));
  url = g_strdup (pd_simulator_get_base_url (simulator));
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  port = (guint) g_uri_get_port (uri);
  g_assert_true (pd_session_connect (fixture->session, auth, url, &error));
  g_assert_no_error (error);
  /* A refused connection is retried once, quickly: the test need not wait out the backoff. */
  pd_pc_client_set_retry_policy (pd_session_get_client (fixture->session), 1, 10);

  sync_with (fixture, sync);
  g_assert_false (pd_session_get_unreachable (fixture->session));
  g_assert_false (gtk_revealer_get_reveal_child (offline_revealer (fixture)));
  last_sync = pd_store_get_last_complete_sync (fixture->store);
  g_assert_nonnull (last_sync);

  /* Partner Center goes away; the network does not. */
  g_assert_finalize_object (simulator);
  sync_with (fixture, sync);
  g_assert_true (pd_test_wait_until (banner_shown, fixture, 10000));
  g_assert_true (pd_session_get_unreachable (fixture->session));
  g_assert_false (pd_session_get_offline (fixture->session));
  text = gtk_label_get_text (label);
  g_test_message ("banner: %s (%s)", text, gtk_widget_get_tooltip_text (GTK_WIDGET (label)));
  g_assert_nonnull (strstr (text, "Partner Center can’t be reached"));
  when = pd_app_util_format_when (last_sync);
  g_assert_nonnull (strstr (text, when));
  /* The reason, for whoever wants it. */
  g_assert_nonnull (gtk_widget_get_tooltip_text (GTK_WIDGET (label)));
  /* Sync stays on: it is how the user finds out whether Partner Center is back. */
  g_assert_true (gtk_widget_get_sensitive (sync));
  g_assert_true (gtk_widget_get_visible (try_again));

  /* The same port answers again: Try Again syncs, the banner goes. */
  simulator = start_simulator (port);
  sync_with (fixture, try_again);
  g_assert_true (pd_test_wait_until (banner_hidden, fixture, 10000));
  g_assert_false (pd_session_get_unreachable (fixture->session));
  g_assert_true (gtk_widget_get_sensitive (sync));
  g_assert_finalize_object (simulator);
}

int
main (int    argc,
      char **argv)
{
  int status;

  window_fixture_init (&argc, &argv);
  fake_nm_start (&fake_nm);

  /* An empty cache: the banner does not depend on what is cached. */
  g_test_add ("/offline/banner", WindowFixture, WINDOW_FIXTURE_EMPTY, window_fixture_set_up,
              test_offline_banner, window_fixture_tear_down);
  g_test_add ("/offline/loopback-never-offline", WindowFixture, WINDOW_FIXTURE_EMPTY,
              window_fixture_set_up, test_loopback_never_offline, window_fixture_tear_down);
  g_test_add ("/offline/partner-center-unreachable", WindowFixture, WINDOW_FIXTURE_EMPTY,
              window_fixture_set_up, test_unreachable_banner, window_fixture_tear_down);
  status = g_test_run ();
  fake_nm_stop (&fake_nm);
  return status;
}
