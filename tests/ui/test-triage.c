/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-triage.c — a day of triage in the real window: the Status column and the "New —
 * awaiting approval" filter, approving New organizations one after another from the keyboard
 * (win.approve). */
#include "config.h"

#include <string.h>

#include "pd-organization-list-private.h"
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

/* Ctrl+Return approves the organization the editor shows, also when a filter hides it from
 * the list (before: nothing, without a word); one that is not New is said, not approved. */
static void
test_approve_shown_when_filtered_out (WindowFixture *fixture,
                                      gconstpointer  data)
{
  PdOrganizationList *list = window_fixture_list (fixture);
  GtkWidget *window = GTK_WIDGET (fixture->window);

  g_assert_cmpint (stored_status (fixture, fixture->fabrikam_id), ==, PD_ORG_STATUS_NEW);
  g_assert_true (gtk_widget_activate_action (window, "win.show-organization", "x",
                                             fixture->fabrikam_id));
  set_active (fixture, fixture->contoso_id);
  pd_organization_list_set_filter (list, PD_FILTER_MANUAL);
  g_assert_cmpint (pd_organization_list_get_selected_id (list), !=, fixture->fabrikam_id);
  g_assert_true (gtk_widget_activate_action (window, "win.approve", NULL));
  g_assert_cmpint (stored_status (fixture, fixture->fabrikam_id), ==, PD_ORG_STATUS_ACTIVE);

  /* Contoso is Active already. */
  g_assert_true (gtk_widget_activate_action (window, "win.show-organization", "x",
                                             fixture->contoso_id));
  g_assert_true (gtk_widget_activate_action (window, "win.approve", NULL));
  g_assert_nonnull (ui_find_shown_label (window, "Only a new organization can be approved"));
  g_assert_cmpint (stored_status (fixture, fixture->contoso_id), ==, PD_ORG_STATUS_ACTIVE);

  /* A search without a match leaves no row: the organization shown is approved all the same
   * (before: the action was off, and Ctrl+Return did nothing without a word). */
  g_assert_true (gtk_widget_activate_action (window, "win.show-organization", "x",
                                             fixture->litware_id));
  pd_organization_list_set_search (list, "no organization is called this");
  g_assert_cmpuint (g_list_model_get_n_items (pd_organization_list_get_model (list)), ==, 0);
  g_assert_true (gtk_widget_activate_action (window, "win.approve", NULL));
  g_assert_cmpint (stored_status (fixture, fixture->litware_id), ==, PD_ORG_STATUS_ACTIVE);
}

static const char *
visible_name (WindowFixture *fixture,
              guint          position)
{
  GListModel *model = pd_organization_list_get_model (window_fixture_list (fixture));
  g_autoptr(PdRowSlot) slot = g_list_model_get_item (model, position);

  g_assert_nonnull (slot);
  return pd_organization_row_data_get_name (pd_row_slot_get_row (slot));
}

/* The visible names, comma-separated, in their order. */
static char *
visible_names (WindowFixture *fixture)
{
  GListModel *model = pd_organization_list_get_model (window_fixture_list (fixture));
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_string_append_printf (names, i == 0 ? "%s" : ",%s", visible_name (fixture, i));
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static gint64
create_manual (WindowFixture *fixture,
               const char    *name,
               const char    *domain)
{
  g_autoptr(GError) error = NULL;
  gint64 id = pd_store_create_manual (fixture->store, name, domain, "PL", NULL, &error);

  g_assert_no_error (error);
  pd_session_notify_changed (fixture->session, id);
  return id;
}

/* Names with letters beyond ASCII sort where a reader looks for them (Ålesund with the A,
 * Łódź with the L, Örebro with the O; not after Z), in the default order and by the Name
 * column; an organization created by hand appears in its place at once, not at the end. */
static void
test_sort_collation (WindowFixture *fixture,
                     gconstpointer  data)
{
  GtkColumnView *view = column_view (fixture);
  g_autoptr(GtkColumnViewColumn) name = find_column (fixture, "Name");
  g_autofree char *names = NULL;
  g_autofree char *by_column = NULL;

  create_manual (fixture, "Örebro Bygg AB", "orebro-bygg.se");
  create_manual (fixture, "Łódź Software", "lodz.pl");
  create_manual (fixture, "Ålesund Fisk AS", "alesund.no");
  pd_organization_list_set_search (window_fixture_list (fixture), "");
  names = visible_names (fixture);
  g_assert_cmpstr (names, ==,
                   "Adatum GmbH,Ålesund Fisk AS,Contoso,Contoso Ltd,Fabrikam Inc,Litware,"
                   "Łódź Software,Northwind Traders,Örebro Bygg AB,Refused Oy,Tailspin Toys,"
                   "Wingtip Toys");
  gtk_column_view_sort_by_column (view, name, GTK_SORT_ASCENDING);
  by_column = visible_names (fixture);
  g_assert_cmpstr (by_column, ==, names);
  gtk_column_view_sort_by_column (view, name, GTK_SORT_DESCENDING);
  g_assert_cmpstr (visible_name (fixture, 0), ==, "Wingtip Toys");
  g_assert_cmpstr (visible_name (fixture, 11), ==, "Adatum GmbH");
}

/* The ids the store's FTS5 search finds for query, sorted. */
static GArray *
store_search_ids (WindowFixture *fixture,
                  const char    *query)
{
  PdStoreQuery store_query = { .search = query };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) orgs = pd_store_list (fixture->store, &store_query, &error);
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_assert_no_error (error);
  for (guint i = 0; i < orgs->len; i++)
    {
      gint64 id = pd_organization_get_id (g_ptr_array_index (orgs, i));

      g_array_append_val (ids, id);
    }
  return ids;
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* The list's search gives the store's rows for query. */
static void
assert_search_matches_store (WindowFixture *fixture,
                             const char    *query)
{
  PdOrganizationList *list = window_fixture_list (fixture);
  g_autoptr(GArray) visible = NULL;
  g_autoptr(GArray) stored = store_search_ids (fixture, query);

  pd_organization_list_set_search (list, query);
  visible = pd_organization_list_dup_visible_ids (list);
  g_array_sort (visible, compare_ids);
  g_array_sort (stored, compare_ids);
  g_test_message ("search “%s”", query);
  g_assert_cmpuint (visible->len, ==, stored->len);
  g_assert_cmpmem (visible->data, visible->len * sizeof (gint64),
                   stored->data, stored->len * sizeof (gint64));
}

/* Notes are searchable, in the list and in the store (what `partner-desk-cli list --search`
 * uses); a row found by something other than its name says what matched. */
static void
test_search_notes_and_reason (WindowFixture *fixture,
                              gconstpointer  data)
{
  PdOrganizationList *list = window_fixture_list (fixture);
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autoptr(GArray) found = NULL;

  g_assert_true (pd_store_set_field (fixture->store, fixture->fabrikam_id, "notes",
                                     "Renewal call with Ingrid in May", &error));
  g_assert_no_error (error);
  pd_session_notify_changed (fixture->session, fixture->fabrikam_id);
  assert_search_matches_store (fixture, "ingrid");
  found = store_search_ids (fixture, "ingrid");
  g_assert_cmpuint (found->len, ==, 1);
  reason = pd_organization_list_dup_match_reason (list, fixture->fabrikam_id);
  g_assert_cmpstr (reason, ==, "Notes: Renewal call with Ingrid in May");
  g_clear_pointer (&reason, g_free);

  assert_search_matches_store (fixture, "billing");
  reason = pd_organization_list_dup_match_reason (list, fixture->northwind_id);
  g_assert_cmpstr (reason, ==, "E-mail: billing@northwind.com");
  g_clear_pointer (&reason, g_free);
  assert_search_matches_store (fixture, "lüb");
  reason = pd_organization_list_dup_match_reason (list, fixture->northwind_id);
  g_assert_cmpstr (reason, ==, "City: Lübeck");
  g_clear_pointer (&reason, g_free);
  assert_search_matches_store (fixture, "erp-7");
  reason = pd_organization_list_dup_match_reason (list, fixture->contoso_id);
  g_assert_cmpstr (reason, ==, "ERP ID: ERP-7");
  g_clear_pointer (&reason, g_free);
  /* Found by its name: nothing to say. */
  assert_search_matches_store (fixture, "northwind traders");
  g_assert_null (pd_organization_list_dup_match_reason (list, fixture->northwind_id));
}

/* Whether the column titled title of window's table is shown. */
static gboolean
column_visible (GtkWidget  *window,
                const char *title)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (ui_find_widget (window, GTK_TYPE_COLUMN_VIEW));
  GListModel *columns = gtk_column_view_get_columns (view);

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), title) == 0)
        return gtk_column_view_column_get_visible (column);
    }
  g_assert_not_reached ();
}

/* The main menu's Columns submenu shows and hides columns (columns.KEY actions); the choice
 * is remembered in GSettings and applied by the next window at its start. */
static void
test_choose_columns (WindowFixture *fixture,
                     gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GSettings *settings = pd_session_get_settings (fixture->session);
  g_auto(GStrv) chosen = NULL;
  GtkWindow *second;

  g_assert_true (column_visible (window, "Status"));
  g_assert_false (column_visible (window, "Currency"));
  g_assert_false (column_visible (window, "Account Manager"));
  g_assert_true (gtk_widget_activate_action (window, "columns.currency", NULL));
  g_assert_true (gtk_widget_activate_action (window, "columns.account-manager", NULL));
  g_assert_true (gtk_widget_activate_action (window, "columns.status", NULL));
  g_assert_true (column_visible (window, "Currency"));
  g_assert_true (column_visible (window, "Account Manager"));
  g_assert_false (column_visible (window, "Status"));
  chosen = g_settings_get_strv (settings, "visible-columns");
  g_assert_true (g_strv_contains ((const char * const *) chosen, "currency"));
  g_assert_true (g_strv_contains ((const char * const *) chosen, "account-manager"));
  g_assert_false (g_strv_contains ((const char * const *) chosen, "status"));

  /* A new window starts with the remembered columns. */
  second = GTK_WINDOW (pd_window_new (NULL, fixture->session));
  g_assert_false (column_visible (GTK_WIDGET (second), "Status"));
  g_assert_true (column_visible (GTK_WIDGET (second), "Currency"));
  gtk_window_destroy (second);
  g_settings_reset (settings, "visible-columns");
  g_assert_true (column_visible (window, "Status"));
  g_assert_false (column_visible (window, "Currency"));
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
  ADD ("/triage/approve-shown-when-filtered-out", test_approve_shown_when_filtered_out, NULL);
  ADD ("/triage/sort-collation", test_sort_collation, NULL);
  ADD ("/triage/search-notes-reason", test_search_notes_and_reason, NULL);
  ADD ("/triage/choose-columns", test_choose_columns, NULL);
#undef ADD

  return g_test_run ();
}
