/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ui-window-fixture.c — see ui-window-fixture.h. */
#include "config.h"

#include "pd-test-util.h"
#include "pd-test-seed.h"
#include "ui-window-fixture.h"

void
window_fixture_init (int    *argc,
                     char ***argv)
{
  pd_test_init (argc, argv);
  gtk_init ();
  adw_init ();
}

static PdOrganization *
pc_org (const char *tenant_id,
        const char *name,
        const char *domain,
        const char *country,
        const char *city,
        const char *email)
{
  /* The US customer lacks state and postal code: "Bill-to incomplete". */
  PdTestCustomer customer = { .tenant_id = tenant_id, .name = name, .domain = domain,
                              .country = country, .city = city, .email = email,
                              .postal_code = g_strcmp0 (country, "US") == 0 ? "" : NULL };

  return pd_test_customer_new (&customer);
}

static gint64
id_of (PdStore    *store,
       const char *tenant_or_domain)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdOrganization) org = pd_store_find (store, tenant_or_domain, &error);

  g_assert_no_error (error);
  return pd_organization_get_id (org);
}

static void
apply_customers (PdStore *store,
                 gint64   run_id)
{
  g_autoptr(GPtrArray) orgs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  PdOrganization *tailspin, *wingtip;

  g_ptr_array_add (orgs, pc_org ("11111111-1111-4111-8111-111111111111", "Contoso Ltd",
                                 "contoso.com", "DE", "Berlin", "anna@contoso.com"));
  g_ptr_array_add (orgs, pc_org ("22222222-2222-4222-8222-222222222222", "Fabrikam Inc",
                                 "fabrikam.com", "US", "Seattle", "ap@fabrikam.com"));
  g_ptr_array_add (orgs, pc_org ("33333333-3333-4333-8333-333333333333", "Northwind Traders",
                                 "northwind.com", "DE", "Hamburg", "billing@northwind.com"));
  g_ptr_array_add (orgs, pc_org ("44444444-4444-4444-8444-444444444444", "Adatum GmbH",
                                 "adatum.de", "DE", "München", "info@adatum.de"));
  tailspin = pc_org ("55555555-5555-4555-8555-555555555555", "Tailspin Toys", "tailspin.com",
                     "DE", "Köln", "orders@tailspin.com");
  pd_organization_set_reseller (tailspin, RESELLER_ONE, "Reseller One");
  g_ptr_array_add (orgs, tailspin);
  wingtip = pc_org ("66666666-6666-4666-8666-666666666666", "Wingtip Toys", "wingtip.com",
                    "DE", "Berlin", "hello@wingtip.com");
  pd_organization_set_reseller (wingtip, RESELLER_ONE, "Reseller One");
  g_ptr_array_add (orgs, wingtip);
  g_assert_true (pd_store_apply_partner_center (store, run_id, orgs, NULL, &error));
  g_assert_no_error (error);
}

/* Six Partner Center customers read (one incomplete, one with a local bill-to edit, one
 * removed, two of a reseller), two manual ones (one looks like Contoso), and one listed whose
 * bill-to Partner Center refused (not readable). */
static gint64 add_refused (PdStore *store);

static void
fill_cache (WindowFixture *fixture)
{
  PdStore *store = fixture->store;
  g_autoptr(GError) error = NULL;
  gint64 run_id = pd_store_begin_sync_run (store, PD_SYNC_KIND_FULL, "fixture", NULL, &error);

  g_assert_no_error (error);
  apply_customers (store, run_id);
  g_assert_true (pd_store_mark_removed (store, run_id, "44444444-4444-4444-8444-444444444444",
                                        &error));
  g_assert_true (pd_store_finish_sync_run (store, run_id, PD_SYNC_STATE_COMPLETE, NULL, &error));
  fixture->contoso_id = id_of (store, "contoso.com");
  fixture->fabrikam_id = id_of (store, "fabrikam.com");
  fixture->northwind_id = id_of (store, "northwind.com");
  fixture->adatum_id = id_of (store, "adatum.de");
  g_assert_true (pd_store_set_field (store, fixture->contoso_id, "erp-id", "ERP-7", &error));
  g_assert_true (pd_store_set_bill_to_field (store, fixture->northwind_id, PD_BILL_TO_CITY,
                                             "Lübeck", &error));
  fixture->litware_id = pd_store_create_manual (store, "Litware", "litware.com", "DE", "ERP-100",
                                                &error);
  g_assert_no_error (error);
  pd_store_create_manual (store, "Contoso", "contoso.com", "DE", NULL, &error);
  g_assert_no_error (error);
  fixture->refused_id = add_refused (store);
}

/* A customer Partner Center lists but whose billing profile it refuses, as a sync stores it. */
static gint64
add_refused (PdStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) listed = g_ptr_array_new_with_free_func (g_object_unref);
  PdOrganization *org = pd_organization_new ();

  pd_organization_set_tenant_id (org, "9e5f0000-0000-4000-8000-0000000000ee");
  pd_organization_set_name (org, "Refused Oy");
  pd_organization_set_domain (org, "refused.fi");
  g_ptr_array_add (listed, org);
  g_assert_true (pd_store_apply_listing (store, 0, listed, NULL, &error));
  g_assert_true (pd_store_set_bill_to_unreadable (store, "9e5f0000-0000-4000-8000-0000000000ee",
                                                  REFUSED_REASON, &error));
  g_assert_no_error (error);
  return id_of (store, "refused.fi");
}

static gboolean
list_loaded (gpointer data)
{
  WindowFixture *fixture = data;
  PdOrganizationList *list = window_fixture_list (fixture);

  return !pd_organization_list_get_loading (list);
}

gboolean
window_fixture_wait_loaded (WindowFixture *fixture,
                            guint          timeout_ms)
{
  return pd_test_wait_until (list_loaded, fixture, timeout_ms);
}

void
window_fixture_set_up (WindowFixture *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  fixture->dir = pd_test_make_tmpdir ();
  fixture->path = g_build_filename (fixture->dir, "partner-desk.db", NULL);
  fixture->store = pd_store_open (fixture->path, &error);
  g_assert_no_error (error);
  if (data == NULL)
    fill_cache (fixture);
  else if (data == WINDOW_FIXTURE_MANY)
    seed_many_customers (fixture->path, WINDOW_FIXTURE_N_MANY);
  fixture->session = pd_session_new (fixture->store, settings);
  fixture->window = GTK_WINDOW (pd_window_new (NULL, fixture->session));
  gtk_window_present (fixture->window);
  g_assert_true (window_fixture_wait_loaded (fixture, 10000));
}

void
window_fixture_tear_down (WindowFixture *fixture,
                          gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  /* Let the window's idle work finish before the session and store go. */
  pd_test_spin (50);
  g_assert_finalize_object (fixture->session);
  g_assert_finalize_object (fixture->store);
  pd_test_rm_rf (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

void
app_fixture_set_up (AppFixture    *fixture,
                    gconstpointer  data)
{
  static guint n_apps;
  g_autofree char *id = g_strdup_printf ("%s.Test%u", APP_ID, ++n_apps);

  fixture->dir = pd_test_make_tmpdir ();
  fixture->path = g_build_filename (fixture->dir, "partner-desk.db", NULL);
  g_setenv ("PARTNER_DESK_DB", fixture->path, TRUE);
  fixture->app = pd_application_new ();
  g_application_set_application_id (G_APPLICATION (fixture->app), id);
}

void
app_fixture_tear_down (AppFixture    *fixture,
                       gconstpointer  data)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (fixture->app));

  while (windows != NULL)
    {
      gtk_window_destroy (windows->data);
      windows = gtk_application_get_windows (GTK_APPLICATION (fixture->app));
    }
  pd_test_spin (50);
  g_object_unref (fixture->app);
  g_unsetenv ("PARTNER_DESK_DB");
  pd_test_rm_rf (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

GtkWindow *
app_fixture_start (AppFixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_application_register (G_APPLICATION (fixture->app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (fixture->app));
  return gtk_application_get_active_window (GTK_APPLICATION (fixture->app));
}

GDBusConnection *
ui_session_bus_own_name (const char *name)
{
  GDBusConnectionFlags flags = G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
                               | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  GDBusConnection *connection;
  guint32 result = 0;

  g_assert_no_error (error);
  connection = g_dbus_connection_new_for_address_sync (address, flags, NULL, NULL, &error);
  g_assert_no_error (error);
  /* 4 = DBUS_NAME_FLAG_DO_NOT_QUEUE */
  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", name, 4), G_VARIANT_TYPE ("(u)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &result);
  g_assert_cmpuint (result, ==, 1);   /* DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER */
  return connection;
}

PdOrganizationList *
window_fixture_list (WindowFixture *fixture)
{
  return pd_window_get_list (PD_WINDOW (fixture->window));
}

GtkWidget *
ui_find_matching (GtkWidget      *root,
                  UiWidgetMatch   match,
                  gconstpointer   data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ui_find_matching (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_of_type (GtkWidget     *widget,
            gconstpointer  type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, *(const GType *) type);
}

GtkWidget *
ui_find_widget (GtkWidget *root,
                GType      type)
{
  return ui_find_matching (root, is_of_type, &type);
}

static gboolean
has_stack_page (GtkWidget     *widget,
                gconstpointer  page_name)
{
  return GTK_IS_STACK (widget)
         && gtk_stack_get_child_by_name (GTK_STACK (widget), page_name) != NULL;
}

GtkStack *
ui_find_stack_with_page (GtkWidget  *root,
                         const char *page_name)
{
  return GTK_STACK (ui_find_matching (root, has_stack_page, page_name));
}

static void
collect_with_class (GtkWidget  *root,
                    const char *css_class,
                    GPtrArray  *out)
{
  if (gtk_widget_has_css_class (root, css_class))
    g_ptr_array_add (out, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_with_class (child, css_class, out);
}

GPtrArray *
ui_find_with_class (GtkWidget  *root,
                    const char *css_class)
{
  GPtrArray *out = g_ptr_array_new ();

  collect_with_class (root, css_class, out);
  return out;
}

static gboolean
is_bound_to (GtkWidget     *widget,
             gconstpointer  action_name)
{
  return GTK_IS_ACTIONABLE (widget)
         && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)),
                       action_name) == 0;
}

GtkWidget *
ui_find_actionable (GtkWidget  *root,
                    const char *action_name)
{
  return ui_find_matching (root, is_bound_to, action_name);
}

GtkLabel *
ui_find_shown_label (GtkWidget  *root,
                     const char *prefix)
{
  if (!gtk_widget_get_mapped (root))
    return NULL;
  if (GTK_IS_LABEL (root) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (root)), prefix))
    return GTK_LABEL (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = ui_find_shown_label (child, prefix);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWindow *
ui_find_toplevel (GType type)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

AdwMessageDialog *
ui_find_message_dialog (GtkWindow *window)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_window_get_transient_for (l->data) == window
        && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}
