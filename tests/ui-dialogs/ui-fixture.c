/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ui-fixture.c — a session on a small temporary cache for the editor and dialog tests. */
#include "config.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "pd-test-util.h"
#include "ui-fixture.h"

#define PICK_TIMEOUT_MS 3000

static PdOrganization *
make_pc_org (const char *tenant_id,
             const char *name,
             const char *domain,
             const char *country)
{
  gboolean us = g_str_equal (country, "US");
  /* The US customer lacks state and postal code: "bill-to incomplete". */
  PdTestCustomer customer = { .tenant_id = tenant_id, .name = name, .domain = domain,
                              .email = "billing@example.com", .etag = "\"etag-1\"",
                              .culture = us ? "en-US" : NULL, .language = us ? "en" : NULL,
                              .line1 = us ? "1 Main Street" : NULL,
                              .city = us ? "Seattle" : NULL, .postal_code = us ? "" : NULL,
                              .country = country };

  return pd_test_customer_new (&customer);
}

static gint64
id_of_tenant (PdStore    *store,
              const char *tenant_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdOrganization) org = pd_store_find_by_tenant (store, tenant_id, &error);

  g_assert_no_error (error);
  return pd_organization_get_id (org);
}

static void
fill_store (UiFixture *fixture)
{
  g_autoptr(GPtrArray) orgs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  gint64 run_id;

  run_id = pd_store_begin_sync_run (fixture->store, PD_SYNC_KIND_FULL, "ui-test", NULL, &error);
  g_assert_no_error (error);
  g_ptr_array_add (orgs, make_pc_org (FIXTURE_CONTOSO_TENANT, "Contoso Ltd", "contoso.com", "DE"));
  g_ptr_array_add (orgs, make_pc_org (FIXTURE_FABRIKAM_TENANT, "Fabrikam Inc", "fabrikam.com",
                                      "US"));
  g_assert_true (pd_store_apply_partner_center (fixture->store, run_id, orgs, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (pd_store_finish_sync_run (fixture->store, run_id, PD_SYNC_STATE_COMPLETE, NULL,
                                           &error));
  g_assert_no_error (error);
  fixture->contoso_id = id_of_tenant (fixture->store, FIXTURE_CONTOSO_TENANT);
  fixture->fabrikam_id = id_of_tenant (fixture->store, FIXTURE_FABRIKAM_TENANT);
  fixture->northwind_id = pd_store_create_manual (fixture->store, "Northwind Traders",
                                                  "northwind.example", "FI", "ERP-100", &error);
  g_assert_no_error (error);
  g_assert_cmpint (fixture->northwind_id, >, 0);
}

void
ui_fixture_set_reseller (UiFixture  *fixture,
                         const char *tenant_id,
                         const char *reseller_id,
                         const char *reseller_name)
{
  g_autoptr(GPtrArray) orgs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  PdOrganization *org = pd_store_find_by_tenant (fixture->store, tenant_id, &error);

  g_assert_no_error (error);
  pd_organization_set_reseller (org, reseller_id, reseller_name);
  g_ptr_array_add (orgs, org);
  g_assert_true (pd_store_apply_partner_center (fixture->store, 0, orgs, NULL, &error));
  g_assert_no_error (error);
}

void
ui_fixture_set_up (UiFixture    *fixture,
                   gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autofree char *path = NULL;

  fixture->dir = pd_test_make_tmpdir ();
  path = g_build_filename (fixture->dir, "partner-desk.db", NULL);
  fixture->store = pd_store_open (path, &error);
  g_assert_no_error (error);
  fill_store (fixture);
  fixture->settings = g_settings_new_with_backend (APP_ID, backend);
  fixture->session = pd_session_new (fixture->store, fixture->settings);
}

void
ui_fixture_tear_down (UiFixture    *fixture,
                      gconstpointer data)
{
  g_clear_object (&fixture->session);
  g_clear_object (&fixture->settings);
  g_clear_object (&fixture->store);
  pd_test_rm_rf (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
}

void
ui_fixture_init (int    *argc,
                 char ***argv)
{
  pd_test_init (argc, argv);
  adw_init ();
}

GtkWindow *
ui_fixture_present (GtkWidget *child)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_default_size (window, 900, 700);
  gtk_window_set_child (window, child);
  gtk_window_present (window);
  return window;
}

gpointer
ui_fixture_child (gpointer    widget,
                  GType       type,
                  const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (child);
  return child;
}

static gboolean
is_visible (gpointer data)
{
  return gtk_widget_get_visible (GTK_WIDGET (data));
}

gboolean
ui_fixture_wait_visible (GtkWidget *widget,
                         guint      timeout_ms)
{
  return pd_test_wait_until (is_visible, widget, timeout_ms);
}

typedef struct
{
  GListModel *shown;
  const char *first;
} FirstWait;

static gboolean
first_item_is (gpointer data)
{
  FirstWait *wait = data;
  g_autoptr(GtkStringObject) item = g_list_model_get_item (wait->shown, 0);

  return item != NULL && g_strcmp0 (gtk_string_object_get_string (item), wait->first) == 0;
}

void
ui_fixture_search_pick (GtkWidget  *row,
                        GType       type,
                        const char *search,
                        const char *first)
{
  GtkWidget *entry = ui_fixture_child (row, type, "search_entry");
  GtkListView *list = ui_fixture_child (row, type, "list_view");
  FirstWait wait = { G_LIST_MODEL (gtk_list_view_get_model (list)), first };

  gtk_editable_set_text (GTK_EDITABLE (entry), search);
  g_assert_true (pd_test_wait_until (first_item_is, &wait, PICK_TIMEOUT_MS));
  g_signal_emit_by_name (entry, "activate");
}

typedef struct
{
  GtkStack   *stack;
  const char *name;
} StackWait;

static gboolean
stack_shows (gpointer data)
{
  StackWait *wait = data;

  return g_strcmp0 (gtk_stack_get_visible_child_name (wait->stack), wait->name) == 0;
}

gboolean
ui_fixture_wait_stack_page (GtkStack   *stack,
                            const char *name,
                            guint       timeout_ms)
{
  StackWait wait = { stack, name };

  return pd_test_wait_until (stack_shows, &wait, timeout_ms);
}

static const char *
widget_text (GtkWidget *widget)
{
  if (ADW_IS_PREFERENCES_ROW (widget))
    return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));
  if (GTK_IS_LABEL (widget))
    return gtk_label_get_label (GTK_LABEL (widget));
  if (GTK_IS_BUTTON (widget))
    return gtk_button_get_label (GTK_BUTTON (widget));
  return NULL;
}

GtkWidget *
ui_fixture_find_text (GtkWidget  *root,
                      GType       type,
                      const char *text)
{
  const char *own;

  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && (own = widget_text (root)) != NULL
      && strstr (own, text) != NULL)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ui_fixture_find_text (child, type, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  GtkWidget  *root;
  GType       type;
  const char *text;
} TextWait;

static gboolean
text_found (gpointer data)
{
  TextWait *wait = data;

  return ui_fixture_find_text (wait->root, wait->type, wait->text) != NULL;
}

gboolean
ui_fixture_wait_text (GtkWidget  *root,
                      GType       type,
                      const char *text,
                      guint       timeout_ms)
{
  TextWait wait = { root, type, text };

  return pd_test_wait_until (text_found, &wait, timeout_ms);
}

void
ui_fixture_destroy (GtkWindow *window)
{
  g_assert_true (pd_test_destroy_and_wait (window, (GDestroyNotify) gtk_window_destroy, 2000));
}

/* ---- accessibility ---- */

static gboolean
is_interactive (GtkWidget *widget)
{
  return GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget) || GTK_IS_SWITCH (widget)
         || GTK_IS_CHECK_BUTTON (widget) || GTK_IS_EDITABLE (widget) || GTK_IS_TEXT_VIEW (widget)
         || GTK_IS_DROP_DOWN (widget) || GTK_IS_SPIN_BUTTON (widget)
         || (GTK_IS_LIST_BOX_ROW (widget)
             && gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (widget)));
}

static gboolean
has_accessible_name (GtkWidget *widget)
{
  GtkAccessible *accessible = GTK_ACCESSIBLE (widget);

  return gtk_test_accessible_has_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL)
         || gtk_test_accessible_has_relation (accessible, GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

static void
collect_unnamed (GtkWidget *widget,
                 GString   *report,
                 guint     *n_checked)
{
  /* What is on screen now; hidden stack pages and unrevealed bars are not reachable. */
  if (!gtk_widget_get_mapped (widget))
    return;
  if (is_interactive (widget))
    {
      (*n_checked)++;
      if (!has_accessible_name (widget))
        {
          GtkWidget *parent = gtk_widget_get_parent (widget);

          g_string_append_printf (report, "%s (in %s, tooltip “%s”)\n",
                                  G_OBJECT_TYPE_NAME (widget),
                                  parent != NULL ? G_OBJECT_TYPE_NAME (parent) : "-",
                                  gtk_widget_get_tooltip_text (widget) ?: "");
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_unnamed (child, report, n_checked);
}

void
ui_fixture_assert_all_named (GtkWidget *root)
{
  g_autoptr(GString) report = g_string_new (NULL);
  guint n_checked = 0;

  collect_unnamed (root, report, &n_checked);
  g_test_message ("%u interactive widgets checked in %s", n_checked, G_OBJECT_TYPE_NAME (root));
  g_assert_cmpuint (n_checked, >, 0);
  if (report->len > 0)
    g_test_message ("Without an accessible name:\n%s", report->str);
  g_assert_cmpstr (report->str, ==, "");
}

/* ---- clipboard ---- */

typedef struct
{
  gboolean  done;
  char     *text;
} ClipboardWait;

static void
on_clipboard_text (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ClipboardWait *wait = user_data;

  wait->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  wait->done = TRUE;
}

char *
ui_fixture_read_clipboard (GtkWidget *widget)
{
  ClipboardWait wait = { FALSE, NULL };

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL, on_clipboard_text,
                                 &wait);
  g_assert_true (pd_test_wait_for_flag (&wait.done, 5000));
  return wait.text;
}
