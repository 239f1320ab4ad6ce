/* test-triage.c — a day of triage in the real window: the Status column and the "New —
 * awaiting approval" filter, approving New organizations one after another from the keyboard
 * (win.approve). */
#include "config.h"

#include <string.h>

#include "pd-organization-row-data.h"
#include "pd-row-slot.h"
#include "pd-test-util.h"
#include "ui-window-fixture.h"

static GtkColumnView *
column_view (WindowFixture *fixture)
{
  return GTK_COLUMN_VIEW (ui_find_widget (GTK_WIDGET (fixture->window), GTK_TYPE_COLUMN_VIEW));
}

/* The column titled title (a new reference), or NULL. */
static GtkColumnViewColumn *
find_column (WindowFixture *fixture,
             const char    *title)
{
  GListModel *columns = gtk_column_view_get_columns (column_view (fixture));

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), title) == 0)
        return g_steal_pointer (&column);
    }
  return NULL;
}

static PdOrgStatus
stored_status (WindowFixture *fixture,
               gint64         id)
{
  g_autoptr(PdOrganization) org = pd_store_get (fixture->store, id, NULL);

  g_assert_nonnull (org);
  return pd_organization_get_status (org);
}

static guint
store_count (WindowFixture *fixture,
             PdFilter       filter)
{
  PdStoreQuery query = { .filter = filter };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) orgs = pd_store_list (fixture->store, &query, &error);

  g_assert_no_error (error);
  return orgs->len;
}

static void
set_active (WindowFixture *fixture,
            gint64         id)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_store_set_field (fixture->store, id, "status", "active", &error));
  g_assert_no_error (error);
  pd_session_notify_changed (fixture->session, id);
}

/* The Status column shows each organization's status; the New filter counts what the store
 * counts, and lists only New organizations. */
static void
test_status_column_and_new_filter (WindowFixture *fixture,
                                   gconstpointer  data)
{
  PdOrganizationList *list = window_fixture_list (fixture);
  g_autoptr(GtkColumnViewColumn) status = find_column (fixture, "Status");
  g_autoptr(GArray) ids = NULL;
  guint n_new;

  g_assert_nonnull (status);
  g_assert_true (gtk_column_view_column_get_visible (status));
  set_active (fixture, fixture->contoso_id);
  set_active (fixture, fixture->litware_id);
  n_new = store_count (fixture, PD_FILTER_NEW);
  g_assert_cmpuint (n_new, ==, store_count (fixture, PD_FILTER_ALL) - 2);
  g_assert_cmpuint (pd_organization_list_get_count (list, PD_FILTER_NEW), ==, n_new);
  pd_organization_list_set_filter (list, PD_FILTER_NEW);
  ids = pd_organization_list_dup_visible_ids (list);
  g_assert_cmpuint (ids->len, ==, n_new);
  for (guint i = 0; i < ids->len; i++)
    g_assert_cmpint (stored_status (fixture, g_array_index (ids, gint64, i)), ==,
                     PD_ORG_STATUS_NEW);
  g_assert_cmpstr (pd_filter_to_string (PD_FILTER_NEW), ==, "new");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.sort-by", "s",
                                             "status"));
}

/* win.approve (Ctrl+Return): the selected organization becomes Active and the selection moves
 * to the next New one, until none is left. */
static void
test_approve_moves_to_next_new (WindowFixture *fixture,
                                gconstpointer  data)
{
  PdOrganizationList *list = window_fixture_list (fixture);
  GtkWidget *window = GTK_WIDGET (fixture->window);
  g_autoptr(GArray) ids = NULL;
  guint n_new;

  pd_organization_list_set_filter (list, PD_FILTER_NEW);
  ids = pd_organization_list_dup_visible_ids (list);
  n_new = ids->len;
  g_assert_cmpuint (n_new, >=, 3);
  pd_organization_list_select (list, g_array_index (ids, gint64, 0));
  for (guint i = 0; i < n_new; i++)
    {
      gint64 id = pd_organization_list_get_selected_id (list);

      g_assert_cmpint (id, ==, g_array_index (ids, gint64, i));
      g_assert_true (gtk_widget_activate_action (window, "win.approve", NULL));
      g_assert_cmpint (stored_status (fixture, id), ==, PD_ORG_STATUS_ACTIVE);
      g_assert_cmpuint (pd_organization_list_get_count (list, PD_FILTER_NEW), ==,
                        n_new - i - 1);
    }
  g_assert_cmpint (pd_organization_list_get_selected_id (list), ==, 0);
  g_assert_cmpuint (store_count (fixture, PD_FILTER_NEW), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  window_fixture_init (&argc, &argv);

#define ADD(path, func, data) \
  g_test_add (path, WindowFixture, data, window_fixture_set_up, func, window_fixture_tear_down)
  ADD ("/triage/status-column-new-filter", test_status_column_and_new_filter, NULL);
  ADD ("/triage/approve-next-new", test_approve_moves_to_next_new, NULL);
#undef ADD

  return g_test_run ();
}
