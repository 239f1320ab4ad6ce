/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-window.c — the main window on a fixture cache: the list loads off the main thread,
 * search and every filter change the visible rows exactly as the store's own query would,
 * actions select and reveal organizations, empty states, the narrow (360 px) layout. */
#include "config.h"

#include <string.h>

#include "pd-organization-editor.h"
#include "pd-organization-row-data.h"
#include "pd-row-slot.h"
#include "pd-test-util.h"
#include "ui-window-fixture.h"

static guint
n_visible (WindowFixture *fixture)
{
  return g_list_model_get_n_items (pd_organization_list_get_model (window_fixture_list (fixture)));
}

static guint
store_count (WindowFixture *fixture,
             const char    *search,
             PdFilter       filter,
             const char    *reseller_id)
{
  PdStoreQuery query = { .search = search, .filter = filter, .reseller_id = reseller_id };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) orgs = pd_store_list (fixture->store, &query, &error);

  g_assert_no_error (error);
  return orgs->len;
}

static const char *
visible_page (WindowFixture *fixture)
{
  GtkStack *stack = ui_find_stack_with_page (GTK_WIDGET (window_fixture_list (fixture)),
                                             "no-results");

  g_assert_nonnull (stack);
  return gtk_stack_get_visible_child_name (stack);
}

static GtkEditable *
search_entry (WindowFixture *fixture)
{
  GtkWidget *entry = ui_find_widget (GTK_WIDGET (window_fixture_list (fixture)),
                                     GTK_TYPE_SEARCH_ENTRY);

  g_assert_nonnull (entry);
  return GTK_EDITABLE (entry);
}

static void
test_window_opens_on_cache (WindowFixture *fixture,
                            gconstpointer  data)
{
  PdOrganizationList *list = window_fixture_list (fixture);

  g_assert_cmpuint (pd_organization_list_get_n_total (list), ==, 9);
  g_assert_cmpuint (n_visible (fixture), ==, 9);
  g_assert_cmpstr (visible_page (fixture), ==, "list");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->window)));
}

/* Typing into the real search entry gives the rows the store's FTS5 prefix search gives. */
static void
test_search_matches_store (WindowFixture *fixture,
                           gconstpointer  data)
{
  const char *queries[] = { "berlin", "cont", "contoso.com", "toys", "erp-100", "ERP", "anna@",
                            "billing", "lüb", "munchen", "hamburg", "oys", "köln", "seattle" };
  GtkEditable *entry = search_entry (fixture);

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      gtk_editable_set_text (entry, queries[i]);
      g_test_message ("search “%s”", queries[i]);
      g_assert_cmpuint (n_visible (fixture), ==,
                        store_count (fixture, queries[i], PD_FILTER_ALL, NULL));
    }
  gtk_editable_set_text (entry, "berlin");
  g_assert_cmpuint (n_visible (fixture), ==, 2);
  gtk_editable_set_text (entry, "oys");
  g_assert_cmpuint (n_visible (fixture), ==, 0);
  g_assert_cmpstr (visible_page (fixture), ==, "no-results");
  gtk_editable_set_text (entry, "");
  g_assert_cmpuint (n_visible (fixture), ==, 9);
  g_assert_cmpstr (visible_page (fixture), ==, "list");
}

/* Typing one character at a time, a second word, deleting and switching the reseller: each
 * step gives the store's rows (the list searches only the previous matches while the query
 * only narrows). */
static void
test_search_typing_matches_store (WindowFixture *fixture,
                                  gconstpointer  data)
{
  const char *steps[] = { "c", "co", "con", "cont", "conto", "contoso", "conto", "cont",
                          "cont b", "cont be", "cont ber", "cont", "b", "be", "ber", "berl",
                          "berlin", "erlin", "", "h", "ha", "hamburg" };
  GtkEditable *entry = search_entry (fixture);
  PdOrganizationList *list = window_fixture_list (fixture);

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      gtk_editable_set_text (entry, steps[i]);
      g_test_message ("search “%s”", steps[i]);
      g_assert_cmpuint (n_visible (fixture), ==,
                        store_count (fixture, *steps[i] != '\0' ? steps[i] : NULL,
                                     PD_FILTER_ALL, NULL));
    }
  pd_organization_list_set_reseller (list, RESELLER_ONE);
  gtk_editable_set_text (entry, "c");
  g_assert_cmpuint (n_visible (fixture), ==, store_count (fixture, "c", PD_FILTER_ALL,
                                                          RESELLER_ONE));
  gtk_editable_set_text (entry, "co");
  g_assert_cmpuint (n_visible (fixture), ==, store_count (fixture, "co", PD_FILTER_ALL,
                                                          RESELLER_ONE));
  pd_organization_list_set_reseller (list, NULL);
  gtk_editable_set_text (entry, "con");
  g_assert_cmpuint (n_visible (fixture), ==, store_count (fixture, "con", PD_FILTER_ALL, NULL));
}

typedef struct {
  PdOrganizationList *list;
  PdFilter            filter;
} FilterWait;

static gboolean
filter_is (gpointer data)
{
  FilterWait *wait = data;

  return pd_organization_list_get_filter (wait->list) == wait->filter;
}

/* Clicking each filter button shows the store's rows for that filter, and the counts on the
 * buttons are the store's counts. */
static void
test_filters_match_store (WindowFixture *fixture,
                          gconstpointer  data)
{
  PdOrganizationList *list = window_fixture_list (fixture);
  g_autoptr(GPtrArray) buttons = ui_find_with_class (GTK_WIDGET (list), "pd-filter-button");
  guint counts[PD_N_FILTERS];
  PdStoreQuery query = { 0 };
  g_autoptr(GError) error = NULL;

  GtkMenuButton *menu = GTK_MENU_BUTTON (ui_find_widget (GTK_WIDGET (list), GTK_TYPE_MENU_BUTTON));

  g_assert_cmpuint (buttons->len, ==, PD_N_FILTERS);
  g_assert_true (pd_store_count_filters (fixture->store, &query, counts, &error));
  g_assert_no_error (error);
  for (guint f = 0; f < PD_N_FILTERS; f++)
    {
      FilterWait wait = { list, f };

      /* A keyboard activation in the open filter menu: GtkButton shows the press, then
       * clicks (and the menu closes). */
      gtk_menu_button_popup (menu);
      gtk_widget_activate (g_ptr_array_index (buttons, f));
      g_test_message ("filter %s", pd_filter_to_string (f));
      g_assert_true (pd_test_wait_until (filter_is, &wait, 2000));
      g_assert_cmpuint (n_visible (fixture), ==, store_count (fixture, NULL, f, NULL));
      g_assert_cmpuint (pd_organization_list_get_count (list, f), ==, counts[f]);
    }
  /* The fixture has one of each kind, so none of these is trivially 0 or everything. */
  g_assert_cmpuint (counts[PD_FILTER_MANUAL], ==, 2);
  g_assert_cmpuint (counts[PD_FILTER_REMOVED], ==, 1);
  g_assert_cmpuint (counts[PD_FILTER_LOCAL_EDITS], ==, 1);
  g_assert_cmpuint (counts[PD_FILTER_INCOMPLETE], >=, 1);
  g_assert_cmpuint (counts[PD_FILTER_UNREADABLE], ==, 1);
}

typedef struct
{
  GtkWidget *list;
  GPtrArray *widgets;
} FitWait;

/* Every widget is on screen and inside the list pane's width. */
static gboolean
all_inside (gpointer data)
{
  FitWait *wait = data;
  int width = gtk_widget_get_width (wait->list);

  for (guint i = 0; i < wait->widgets->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (wait->widgets, i);
      graphene_rect_t bounds;

      if (!gtk_widget_get_mapped (widget) || width <= 0
          || !gtk_widget_compute_bounds (widget, wait->list, &bounds)
          || bounds.origin.x < 0 || bounds.origin.x + bounds.size.width > width + 0.5)
        return FALSE;
    }
  return TRUE;
}

/* The filters are one menu button beside the reseller drop-down, both inside the list pane;
 * the menu shows every filter; Tab walks from the search entry to the menu button and on to the
 * drop-down. */
static void
test_filters_all_visible (WindowFixture *fixture,
                          gconstpointer  data)
{
  GtkWidget *list = GTK_WIDGET (window_fixture_list (fixture));
  g_autoptr(GPtrArray) buttons = ui_find_with_class (list, "pd-filter-button");
  GtkWidget *menu = ui_find_widget (list, GTK_TYPE_MENU_BUTTON);
  GtkWidget *dropdown = ui_find_widget (list, GTK_TYPE_DROP_DOWN);
  g_autoptr(GPtrArray) widgets = g_ptr_array_new ();
  FitWait wait = { list, widgets };
  GtkWidget *focus;

  g_assert_cmpuint (buttons->len, ==, PD_N_FILTERS);
  g_assert_nonnull (dropdown);
  g_assert_nonnull (menu);
  g_ptr_array_add (widgets, menu);
  g_ptr_array_add (widgets, dropdown);
  g_assert_true (pd_test_wait_until (all_inside, &wait, 5000));
  gtk_menu_button_popup (GTK_MENU_BUTTON (menu));
  for (guint f = 0; f < buttons->len; f++)
    g_assert_true (gtk_widget_get_visible (g_ptr_array_index (buttons, f)));
  gtk_menu_button_popdown (GTK_MENU_BUTTON (menu));

  gtk_widget_grab_focus (GTK_WIDGET (search_entry (fixture)));
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (fixture->window), GTK_DIR_TAB_FORWARD));
  focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  g_assert_true (focus != NULL && gtk_widget_is_ancestor (focus, menu));
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (fixture->window), GTK_DIR_TAB_FORWARD));
  focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  g_assert_true (focus != NULL && gtk_widget_is_ancestor (focus, dropdown));
  /* The duplicate index is not built at startup: only the New Organization dialog needs it. */
  g_assert_null (pd_session_peek_duplicates (fixture->session));
}

/* Search and filter combine, and counts follow the search. */
static void
test_filter_with_search_and_reseller (WindowFixture *fixture,
                                      gconstpointer  data)
{
  PdOrganizationList *list = window_fixture_list (fixture);
  GtkWidget *dropdown = ui_find_widget (GTK_WIDGET (list), GTK_TYPE_DROP_DOWN);

  gtk_editable_set_text (search_entry (fixture), "contoso");
  pd_organization_list_set_filter (list, PD_FILTER_MANUAL);
  g_assert_cmpuint (n_visible (fixture), ==, store_count (fixture, "contoso", PD_FILTER_MANUAL, NULL));
  g_assert_cmpuint (n_visible (fixture), ==, 1);
  g_assert_cmpuint (pd_organization_list_get_count (list, PD_FILTER_ALL), ==, 2);

  gtk_editable_set_text (search_entry (fixture), "");
  pd_organization_list_set_filter (list, PD_FILTER_ALL);
  g_assert_true (gtk_widget_get_visible (dropdown));
  g_assert_null (gtk_test_accessible_check_property (GTK_ACCESSIBLE (dropdown),
                                                    GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                    "Reseller: All resellers"));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), 1);
  g_assert_cmpuint (n_visible (fixture), ==, store_count (fixture, NULL, PD_FILTER_ALL, RESELLER_ONE));
  g_assert_cmpuint (n_visible (fixture), ==, 2);
  /* The name says the choice, on the button inside that takes the focus too (it was
   * "Reseller" alone). */
  {
    GtkStringObject *item = gtk_drop_down_get_selected_item (GTK_DROP_DOWN (dropdown));
    g_autofree char *name = g_strdup_printf ("Reseller: %s",
                                             gtk_string_object_get_string (item));

    g_assert_null (gtk_test_accessible_check_property (
      GTK_ACCESSIBLE (gtk_widget_get_first_child (dropdown)), GTK_ACCESSIBLE_PROPERTY_LABEL,
      name));
  }
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), 0);
  g_assert_cmpuint (n_visible (fixture), ==, 9);
}

/* win.show-organization clears the search and filter that hide the row, selects it and opens
 * it in the editor. */
static void
test_show_organization_action (WindowFixture *fixture,
                               gconstpointer  data)
{
  PdOrganizationList *list = window_fixture_list (fixture);

  gtk_editable_set_text (search_entry (fixture), "litware");
  pd_organization_list_set_filter (list, PD_FILTER_MANUAL);
  g_assert_cmpuint (n_visible (fixture), ==, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-organization",
                                             "x", fixture->contoso_id));
  g_assert_cmpint (pd_organization_list_get_selected_id (list), ==, fixture->contoso_id);
  g_assert_cmpint (pd_organization_list_get_filter (list), ==, PD_FILTER_ALL);
  g_assert_cmpstr (gtk_editable_get_text (search_entry (fixture)), ==, "");
  g_assert_cmpstr (pd_window_get_view (PD_WINDOW (fixture->window)), ==, "organizations");
}

/* The first mapped descendant of root (root included) that matches. */
static GtkWidget *
find_mapped (GtkWidget  *root,
             gboolean  (*matches) (GtkWidget *widget, const char *text),
             const char *text)
{
  if (gtk_widget_get_mapped (root) && matches (root, text))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_mapped (child, matches, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
image_has_icon (GtkWidget  *widget,
                const char *icon_name)
{
  return GTK_IS_IMAGE (widget)
         && g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (widget)), icon_name) == 0;
}

static gboolean
label_contains (GtkWidget  *widget,
                const char *text)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_label (GTK_LABEL (widget)), text) != NULL;
}

typedef struct {
  GtkWidget  *root;
  gboolean  (*matches) (GtkWidget *widget, const char *text);
  const char *text;
  GtkWidget  *found;
} MappedWait;

static gboolean
mapped_found (gpointer data)
{
  MappedWait *wait = data;

  wait->found = find_mapped (wait->root, wait->matches, wait->text);
  return wait->found != NULL;
}

/* A customer whose billing profile Partner Center refused: the list shows the not-readable
 * icon with the reason as its tooltip, its filter counts it (not "Bill-to incomplete"), and the
 * editor's card says why and that the next sync tries again. */
static void
test_unreadable_bill_to (WindowFixture *fixture,
                         gconstpointer  data)
{
  PdOrganizationList *list = window_fixture_list (fixture);
  MappedWait icon = { GTK_WIDGET (list), image_has_icon, "action-unavailable-symbolic", NULL };
  MappedWait title = { GTK_WIDGET (fixture->window), label_contains, "Bill-to not readable",
                       NULL };
  MappedWait reason = { GTK_WIDGET (fixture->window), label_contains, REFUSED_REASON, NULL };
  g_autofree char *tooltip = NULL;
  GtkListItem *item;

  g_assert_cmpuint (pd_organization_list_get_count (list, PD_FILTER_UNREADABLE), ==, 1);
  pd_organization_list_set_filter (list, PD_FILTER_UNREADABLE);
  g_assert_cmpuint (n_visible (fixture), ==, 1);
  pd_organization_list_set_filter (list, PD_FILTER_INCOMPLETE);
  g_assert_cmpuint (n_visible (fixture), ==, store_count (fixture, NULL, PD_FILTER_INCOMPLETE,
                                                          NULL));
  pd_organization_list_set_filter (list, PD_FILTER_ALL);

  g_assert_true (pd_test_wait_until (mapped_found, &icon, 5000));
  item = g_object_get_data (G_OBJECT (icon.found), "list-item");
  g_assert_nonnull (item);
  tooltip = pd_organization_row_data_dup_bill_to_text (
              pd_row_slot_get_row (gtk_list_item_get_item (item)));
  g_assert_true (g_str_has_prefix (tooltip, "Bill-to not readable: " REFUSED_REASON));
  g_assert_nonnull (strstr (tooltip, "next sync"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-organization",
                                             "x", fixture->refused_id));
  g_assert_true (pd_test_wait_until (mapped_found, &title, 5000));
  g_assert_true (pd_test_wait_until (mapped_found, &reason, 5000));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (reason.found)), "next sync"));
}

static gboolean
ten_rows (gpointer data)
{
  return pd_organization_list_get_n_total (window_fixture_list (data)) == 10;
}

/* A customer Partner Center listed whose bill-to no read has tried yet (a first sync that has
 * not reached it) is "not read yet": not counted or shown as not readable, which would say
 * that Partner Center refused or failed something. */
static void
test_not_read_yet (WindowFixture *fixture,
                   gconstpointer  data)
{
  PdOrganizationList *list = window_fixture_list (fixture);
  MappedWait icon = { GTK_WIDGET (list), image_has_icon, "emblem-synchronizing-symbolic", NULL };
  MappedWait title = { GTK_WIDGET (fixture->window), label_contains, "Bill-to not read yet",
                       NULL };
  g_autoptr(GPtrArray) listed = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(PdOrganization) stored = NULL;
  g_autoptr(GError) error = NULL;
  PdOrganization *org = pd_organization_new ();
  PdOrganizationRowData *row;
  g_autofree char *tooltip = NULL;
  g_autofree char *name = NULL;
  GtkListItem *item;

  pd_organization_set_tenant_id (org, "7b1c2d3e-0000-4000-8000-00000000aaaa");
  pd_organization_set_name (org, "Aaa Listed Only");
  g_ptr_array_add (listed, org);
  g_assert_true (pd_store_apply_listing (fixture->store, 0, listed, NULL, &error));
  g_assert_no_error (error);
  stored = pd_store_find_by_tenant (fixture->store, "7b1c2d3e-0000-4000-8000-00000000aaaa",
                                    &error);
  g_assert_no_error (error);
  pd_session_notify_changed (fixture->session, 0);
  g_assert_true (pd_test_wait_until (ten_rows, fixture, 5000));

  g_assert_cmpuint (pd_organization_list_get_count (list, PD_FILTER_UNREADABLE), ==, 1);
  g_assert_true (pd_test_wait_until (mapped_found, &icon, 5000));
  item = g_object_get_data (G_OBJECT (icon.found), "list-item");
  g_assert_nonnull (item);
  row = pd_row_slot_get_row (gtk_list_item_get_item (item));
  tooltip = pd_organization_row_data_dup_bill_to_text (row);
  g_assert_true (g_str_has_prefix (tooltip, "Bill-to not read yet"));
  g_assert_null (strstr (tooltip, "not readable"));
  name = pd_organization_row_data_dup_accessible_name (row);
  g_assert_cmpstr (name, ==, "Aaa Listed Only, bill-to not read yet");
  g_assert_false (gtk_widget_has_css_class (icon.found, "warning"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-organization",
                                             "x", pd_organization_get_id (stored)));
  g_assert_true (pd_test_wait_until (mapped_found, &title, 5000));
  /* What orders need is not known yet; nothing says a read failed (before: "could not be
   * read"). */
  g_assert_nonnull (ui_find_shown_label (GTK_WIDGET (fixture->window),
                                         "Not known yet: the bill-to has not been read from "
                                         "Partner Center"));
  g_assert_null (ui_find_shown_label (GTK_WIDGET (fixture->window),
                                      "Not known: Partner Center’s bill-to could not be read"));
}

static void
test_search_action_focuses_entry (WindowFixture *fixture,
                                  gconstpointer  data)
{
  GtkWidget *focus;

  pd_window_show_view (PD_WINDOW (fixture->window), "sync");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.search", NULL));
  g_assert_cmpstr (pd_window_get_view (PD_WINDOW (fixture->window)), ==, "organizations");
  focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  g_assert_nonnull (focus);
  g_assert_true (focus == GTK_WIDGET (search_entry (fixture))
                 || gtk_widget_is_ancestor (focus, GTK_WIDGET (search_entry (fixture))));
}

static gboolean
erp_found (gpointer data)
{
  return n_visible (data) == 1;
}

/* A name from Partner Center with a mark that turns the text's direction (U+202E) is shown
 * with U+FFFD in its place, in the list and in the editor's header: "Aaa Corp<U+202E>xyz"
 * showed as "Aaa Corpzyx" before. */
static void
test_direction_mark_shown_replaced (WindowFixture *fixture,
                                    gconstpointer  data)
{
  MappedWait cell = { GTK_WIDGET (window_fixture_list (fixture)), label_contains,
                      "Aaa Corp\ufffdxyz", NULL };
  MappedWait header = { GTK_WIDGET (fixture->window), label_contains, "Aaa Corp\ufffdxyz",
                        NULL };
  MappedWait mark = { GTK_WIDGET (fixture->window), label_contains, "\u202e", NULL };
  g_autoptr(GPtrArray) listed = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(PdOrganization) stored = NULL;
  g_autoptr(GError) error = NULL;
  PdOrganization *org = pd_organization_new ();

  pd_organization_set_tenant_id (org, "7b1c2d3e-0000-4000-8000-00000000bbbb");
  pd_organization_set_name (org, "Aaa Corp\u202exyz");
  g_ptr_array_add (listed, org);
  g_assert_true (pd_store_apply_listing (fixture->store, 0, listed, NULL, &error));
  g_assert_no_error (error);
  stored = pd_store_find_by_tenant (fixture->store, "7b1c2d3e-0000-4000-8000-00000000bbbb",
                                    &error);
  g_assert_no_error (error);
  pd_session_notify_changed (fixture->session, 0);
  g_assert_true (pd_test_wait_until (mapped_found, &cell, 5000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-organization",
                                             "x", pd_organization_get_id (stored)));
  header.root = GTK_WIDGET (fixture->window);
  g_assert_true (pd_test_wait_until (mapped_found, &header, 5000));
  g_assert_true (header.found != cell.found);
  g_assert_false (mapped_found (&mark));
}

/* An edit elsewhere (the editor, the CLI) reaches the list through the session signal. */
static void
test_refresh_on_change (WindowFixture *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  gtk_editable_set_text (search_entry (fixture), "erp-new");
  g_assert_cmpuint (n_visible (fixture), ==, 0);
  g_assert_true (pd_store_set_field (fixture->store, fixture->fabrikam_id, "erp-id", "ERP-NEW",
                                     &error));
  g_assert_no_error (error);
  pd_session_notify_changed (fixture->session, fixture->fabrikam_id);
  g_assert_true (pd_test_wait_until (erp_found, fixture, 5000));

  /* A change of many (id 0) reloads everything in the background. */
  pd_store_create_manual (fixture->store, "Erp Newco", NULL, "DE", NULL, &error);
  g_assert_no_error (error);
  pd_session_notify_changed (fixture->session, 0);
  g_assert_true (pd_test_wait_until (ten_rows, fixture, 5000));
  /* The search still applies to the reloaded rows ("Erp Newco" matches too). */
  g_assert_cmpuint (n_visible (fixture), ==, 2);
  g_assert_cmpuint (n_visible (fixture), ==, store_count (fixture, "erp-new", PD_FILTER_ALL, NULL));
}

/* Signed out: the cache is browsable and editable, but Sync is off (one _actions_update). */
static void
test_actions_signed_out (WindowFixture *fixture,
                         gconstpointer  data)
{
  GtkWidget *header = ui_find_widget (GTK_WIDGET (fixture->window), ADW_TYPE_HEADER_BAR);
  GtkWidget *sync = ui_find_actionable (header, "win.sync");
  GtkWidget *add = ui_find_actionable (header, "win.new-organization");
  GtkWidget *search = ui_find_actionable (header, "win.search");

  g_assert_nonnull (sync);
  g_assert_nonnull (add);
  g_assert_false (gtk_widget_get_sensitive (sync));
  g_assert_true (gtk_widget_get_sensitive (add));
  g_assert_true (gtk_widget_get_sensitive (search));
}

/* An empty cache while signed out shows the sign-in state, not an empty table. */
static void
test_empty_signed_out (WindowFixture *fixture,
                       gconstpointer  data)
{
  g_assert_cmpuint (pd_organization_list_get_n_total (window_fixture_list (fixture)), ==, 0);
  g_assert_cmpstr (visible_page (fixture), ==, "signed-out");
}

static gboolean
leaflet_folded (gpointer data)
{
  AdwLeaflet *leaflet = data;

  return adw_leaflet_get_folded (leaflet);
}

typedef struct {
  GtkWidget *label;
} TitleWait;

static gboolean
label_whole (gpointer data)
{
  GtkLabel *label = data;

  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0
         && !pango_layout_is_ellipsized (gtk_label_get_layout (label));
}

/* The header's title is shown, and not cut ("Part…"), in the demo too. */
static void
assert_title_whole (WindowFixture *fixture)
{
  GtkWidget *title = ui_find_widget (GTK_WIDGET (fixture->window), ADW_TYPE_WINDOW_TITLE);
  GtkWidget *label = ui_find_widget (title, GTK_TYPE_LABEL);

  g_assert_nonnull (label);
  g_assert_true (pd_test_wait_until (label_whole, label, 5000));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "Partner Desk");
}

/* Search and filters leave the rows most of the height (the chips took 40 %). */
static void
assert_toolbar_low (WindowFixture *fixture)
{
  GtkWidget *entry = GTK_WIDGET (search_entry (fixture));
  GtkWidget *toolbar = gtk_widget_get_parent (entry);

  g_assert_cmpint (gtk_widget_get_height (toolbar), >, 0);
  g_assert_cmpint (gtk_widget_get_height (toolbar), <=,
                   gtk_widget_get_height (GTK_WIDGET (fixture->window)) / 5);
}

static gboolean
focus_inside (GtkWidget *window,
              GtkWidget *widget)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* Sends keyval to widget's key controllers, as a key press bubbling up to it does; TRUE when
 * one handled it. */
static gboolean
press_key (GtkWidget *widget,
           guint      keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean handled = FALSE;

  for (guint i = 0; !handled && i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        g_signal_emit_by_name (controller, "key-pressed", keyval, 0, (GdkModifierType) 0,
                               &handled);
    }
  return handled;
}

/* From the search, Enter opens the first match and Down goes to the results (before: Enter
 * did nothing, and Down went to the Filter button beside the search). */
static void
test_search_enter_and_down (WindowFixture *fixture,
                            gconstpointer  data)
{
  GtkWidget *search = GTK_WIDGET (search_entry (fixture));
  GtkWidget *editor = ui_find_widget (GTK_WIDGET (fixture->window), PD_TYPE_ORGANIZATION_EDITOR);
  GtkWidget *table = ui_find_widget (GTK_WIDGET (window_fixture_list (fixture)),
                                     GTK_TYPE_COLUMN_VIEW);

  gtk_editable_set_text (GTK_EDITABLE (search), "fabrikam");
  g_assert_cmpuint (n_visible (fixture), ==, 1);
  g_signal_emit_by_name (search, "activate");
  g_assert_cmpint (pd_organization_editor_get_organization_id (PD_ORGANIZATION_EDITOR (editor)),
                   ==, fixture->fabrikam_id);

  gtk_editable_set_text (GTK_EDITABLE (search), "");
  g_assert_true (gtk_widget_grab_focus (search));
  g_assert_true (press_key (search, GDK_KEY_Down));
  g_assert_true (focus_inside (GTK_WIDGET (fixture->window), table));
}

/* Another organization opened from the list (Enter) puts the keyboard at the top of the
 * editor, not in the field it was in for the one before: the leaflet gave back the notes,
 * scrolled out of sight, and what was typed next went into the new organization's notes
 * unseen. */
static void
test_open_puts_focus_on_top (WindowFixture *fixture,
                             gconstpointer  data)
{
  GtkWidget *editor = ui_find_widget (GTK_WIDGET (fixture->window), PD_TYPE_ORGANIZATION_EDITOR);
  GtkWidget *notes = ui_find_widget (editor, GTK_TYPE_TEXT_VIEW);
  GtkWidget *list = ui_find_widget (GTK_WIDGET (window_fixture_list (fixture)),
                                    GTK_TYPE_COLUMN_VIEW);
  graphene_point_t at;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-organization",
                                             "x", fixture->contoso_id));
  g_assert_true (gtk_widget_grab_focus (notes));
  /* Ctrl+F, then down to the list. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.search", NULL));
  g_assert_true (gtk_widget_grab_focus (list));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-organization",
                                             "x", fixture->fabrikam_id));
  pd_test_spin (100);
  g_assert_false (focus_inside (GTK_WIDGET (fixture->window), notes));
  g_assert_true (focus_inside (GTK_WIDGET (fixture->window), editor));
  /* In sight: within the pane's height from its top. */
  g_assert_true (gtk_widget_compute_point (gtk_root_get_focus (GTK_ROOT (fixture->window)),
                                           editor, &GRAPHENE_POINT_INIT (0, 0), &at));
  g_assert_cmpfloat (at.y, >=, 0);
  g_assert_cmpfloat (at.y, <, gtk_widget_get_height (editor));

  /* Back to the organization the notes were typed in, through another one selected in the
   * list meanwhile: that one was shown from the top as well. */
  g_assert_true (gtk_widget_grab_focus (notes));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.search", NULL));
  g_assert_true (gtk_widget_grab_focus (list));
  pd_organization_list_select (window_fixture_list (fixture), fixture->contoso_id);
  pd_organization_list_select (window_fixture_list (fixture), fixture->fabrikam_id);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-organization",
                                             "x", fixture->fabrikam_id));
  pd_test_spin (100);
  g_assert_false (focus_inside (GTK_WIDGET (fixture->window), notes));
}

/* At 360 px the list and the editor fold into one column with back navigation. */
static void
test_narrow_window (WindowFixture *fixture,
                    gconstpointer  data)
{
  AdwLeaflet *leaflet;
  GtkWidget *list_pane;
  GtkWidget *editor;

  /* A window mapped at 1100 px does not shrink on request without a window manager: open a
   * narrow one instead. */
  gtk_window_destroy (fixture->window);
  pd_session_set_demo (fixture->session, TRUE);
  fixture->window = GTK_WINDOW (pd_window_new (NULL, fixture->session));
  gtk_window_set_default_size (fixture->window, 360, 640);
  gtk_window_present (fixture->window);
  g_assert_true (window_fixture_wait_loaded (fixture, 10000));
  leaflet = ADW_LEAFLET (ui_find_widget (GTK_WIDGET (fixture->window), ADW_TYPE_LEAFLET));
  g_assert_true (pd_test_wait_until (leaflet_folded, leaflet, 5000));
  list_pane = adw_leaflet_get_visible_child (leaflet);
  g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (window_fixture_list (fixture)), list_pane));
  assert_title_whole (fixture);
  assert_toolbar_low (fixture);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-organization",
                                             "x", fixture->northwind_id));
  g_assert_true (adw_leaflet_get_visible_child (leaflet) != list_pane);
  assert_title_whole (fixture);
  editor = ui_find_widget (GTK_WIDGET (fixture->window), PD_TYPE_ORGANIZATION_EDITOR);
  g_assert_true (gtk_widget_child_focus (editor, GTK_DIR_TAB_FORWARD));
  g_assert_true (focus_inside (GTK_WIDGET (fixture->window), editor));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.back", NULL));
  pd_test_wait_until (leaflet_folded, leaflet, 10);
  g_assert_true (adw_leaflet_get_visible_child (leaflet) == list_pane);
  /* The keyboard is back on the organization that was open. */
  g_assert_true (focus_inside (GTK_WIDGET (fixture->window),
                               ui_find_widget (list_pane, GTK_TYPE_COLUMN_VIEW)));
  g_assert_cmpint (pd_organization_list_get_selected_id (window_fixture_list (fixture)), ==,
                   fixture->northwind_id);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <=, 360);
  pd_session_set_demo (fixture->session, FALSE);
}

/* Names the widgets wider than width at their minimum, deepest first (why a window cannot be
 * made narrower). */
static void
describe_wide (GtkWidget *widget,
               int        width,
               GString   *out)
{
  int minimum = 0;

  if (!gtk_widget_get_visible (widget))
    return;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    describe_wide (child, width, out);
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  if (minimum > width)
    g_string_append_printf (out, "  %s (%s) %d\n", G_OBJECT_TYPE_NAME (widget),
                            gtk_widget_get_css_name (widget), minimum);
}

static int
window_min_width (GtkWidget *window)
{
  g_autoptr(GString) wide = g_string_new (NULL);
  int minimum = 0;

  gtk_widget_measure (window, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  describe_wide (window, 360, wide);
  g_test_message ("window minimum width %d; wider than 360 px:\n%s", minimum, wide->str);
  return minimum;
}

/* The metainfo promises 360 px (phones): the window measures no wider, with the demo pill,
 * on the list, with an organization open, and on the sync view (Xvfb has no compositor, so
 * there is no client-side shadow around it). */
static void
test_minimum_width (WindowFixture *fixture,
                    gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);

  pd_session_set_demo (fixture->session, TRUE);
  g_assert_cmpint (window_min_width (window), <=, 360);
  g_assert_true (gtk_widget_activate_action (window, "win.show-organization", "x",
                                             fixture->fabrikam_id));
  pd_test_spin (50);
  g_assert_cmpint (window_min_width (window), <=, 360);
  pd_window_show_view (PD_WINDOW (window), "sync");
  g_assert_cmpint (window_min_width (window), <=, 360);
  pd_session_set_demo (fixture->session, FALSE);
}

static const char *
visible_name (WindowFixture *fixture,
              guint          position)
{
  GListModel *model = pd_organization_list_get_model (window_fixture_list (fixture));
  g_autoptr(PdRowSlot) slot = g_list_model_get_item (model, position);

  return pd_organization_row_data_get_name (pd_row_slot_get_row (slot));
}

/* Clicking a column header sorts the visible rows; search keeps the sort. */
static void
test_sort_by_column (WindowFixture *fixture,
                     gconstpointer  data)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (ui_find_widget (GTK_WIDGET (fixture->window),
                                                         GTK_TYPE_COLUMN_VIEW));
  g_autoptr(GtkColumnViewColumn) name = g_list_model_get_item (gtk_column_view_get_columns (view), 0);
  g_autoptr(GtkColumnViewColumn) domain = NULL;
  guint n_columns = g_list_model_get_n_items (gtk_column_view_get_columns (view));

  g_assert_cmpstr (visible_name (fixture, 0), ==, "Adatum GmbH");
  gtk_column_view_sort_by_column (view, name, GTK_SORT_DESCENDING);
  g_assert_cmpstr (visible_name (fixture, 0), ==, "Wingtip Toys");
  g_assert_cmpstr (visible_name (fixture, 8), ==, "Adatum GmbH");
  gtk_editable_set_text (search_entry (fixture), "toys");
  g_assert_cmpstr (visible_name (fixture, 0), ==, "Wingtip Toys");
  g_assert_cmpstr (visible_name (fixture, 1), ==, "Tailspin Toys");
  gtk_editable_set_text (search_entry (fixture), "");

  /* By domain: "adatum.de" first, the manual organizations without a domain sort by theirs. */
  for (guint i = 0; i < n_columns && domain == NULL; i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (gtk_column_view_get_columns (view), i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), "Domain") == 0)
        domain = g_steal_pointer (&column);
    }
  g_assert_nonnull (domain);
  gtk_column_view_sort_by_column (view, domain, GTK_SORT_ASCENDING);
  g_assert_cmpstr (visible_name (fixture, 0), ==, "Adatum GmbH");
  g_assert_cmpstr (visible_name (fixture, 8), ==, "Wingtip Toys");
  gtk_column_view_sort_by_column (view, NULL, GTK_SORT_ASCENDING);
  g_assert_cmpstr (visible_name (fixture, 0), ==, "Adatum GmbH");
}

/* The key controller the table handles Tab with (emitting its signal is what a key press does
 * in the capture phase; GTK 4.8 has no synthetic key events). */
static gboolean
press_key_on_table (GtkWidget *view,
                    guint      keyval,
                    GdkModifierType state)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (view);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !handled; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        g_signal_emit_by_name (controller, "key-pressed", keyval, 0, state, &handled);
    }
  return handled;
}

static gboolean
widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

/* The table is one Tab stop: Tab leaves it from a row and keeps the selection (and so the
 * editor) where it was; F6 cycles table → editor → search → table, Shift+F6 back. */
static void
test_keyboard_regions (WindowFixture *fixture,
                       gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  PdOrganizationList *list = window_fixture_list (fixture);
  GtkWidget *view = ui_find_widget (GTK_WIDGET (list), GTK_TYPE_COLUMN_VIEW);
  GtkWidget *editor = ui_find_widget (window, PD_TYPE_ORGANIZATION_EDITOR);
  GtkWidget *entry = GTK_WIDGET (search_entry (fixture));

  g_assert_true (gtk_widget_activate_action (window, "win.show-organization", "x",
                                             fixture->contoso_id));
  g_assert_true (pd_test_wait_until (widget_mapped, editor, 5000));
  g_assert_true (pd_organization_list_focus_rows (list));
  g_assert_true (focus_inside (window, view));
  g_assert_cmpint (pd_organization_list_get_selected_id (list), ==, fixture->contoso_id);
  g_assert_true (press_key_on_table (view, GDK_KEY_Tab, 0));
  g_assert_false (focus_inside (window, view));
  g_assert_cmpint (pd_organization_list_get_selected_id (list), ==, fixture->contoso_id);
  g_assert_true (pd_organization_list_focus_rows (list));
  g_assert_true (press_key_on_table (view, GDK_KEY_ISO_Left_Tab, GDK_SHIFT_MASK));
  g_assert_false (focus_inside (window, view));
  g_assert_true (focus_inside (window, gtk_widget_get_parent (entry)));

  g_assert_true (gtk_widget_activate_action (window, "win.cycle-focus", "b", FALSE));
  g_assert_true (focus_inside (window, view));
  g_assert_true (gtk_widget_activate_action (window, "win.cycle-focus", "b", FALSE));
  g_assert_true (focus_inside (window, editor));
  g_assert_true (gtk_widget_activate_action (window, "win.cycle-focus", "b", FALSE));
  g_assert_true (focus_inside (window, entry));
  g_assert_true (gtk_widget_activate_action (window, "win.cycle-focus", "b", TRUE));
  g_assert_true (focus_inside (window, editor));
}

/* Sorting without a mouse: the main menu's Sort By (win.sort-by); again reverses. */
static void
test_sort_from_menu (WindowFixture *fixture,
                     gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);

  g_assert_true (gtk_widget_activate_action (window, "win.sort-by", "s", "name"));
  g_assert_cmpstr (visible_name (fixture, 0), ==, "Adatum GmbH");
  g_assert_true (gtk_widget_activate_action (window, "win.sort-by", "s", "name"));
  g_assert_cmpstr (visible_name (fixture, 0), ==, "Wingtip Toys");
  g_assert_true (gtk_widget_activate_action (window, "win.sort-by", "s", "domain"));
  g_assert_cmpstr (visible_name (fixture, 0), ==, "Adatum GmbH");
}

/* The view shown is remembered in the settings (and restored by the next window). */
static void
test_remembers_view (WindowFixture *fixture,
                     gconstpointer  data)
{
  GSettings *settings = pd_session_get_settings (fixture->session);
  g_autofree char *last_view = NULL;
  GtkWindow *second;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-view", "s",
                                             "sync"));
  g_assert_cmpstr (pd_window_get_view (PD_WINDOW (fixture->window)), ==, "sync");
  last_view = g_settings_get_string (settings, "last-view");
  g_assert_cmpstr (last_view, ==, "sync");
  second = GTK_WINDOW (pd_window_new (NULL, fixture->session));
  g_assert_cmpstr (pd_window_get_view (PD_WINDOW (second)), ==, "sync");
  gtk_window_destroy (second);
  g_settings_reset (settings, "last-view");
}

static gboolean
export_done (gpointer data)
{
  return !pd_window_get_exporting (data);
}

static gboolean
exported_shown (gpointer window)
{
  return ui_find_shown_label (window, "Exported") != NULL;
}

static gboolean
exporting_gone (gpointer window)
{
  return ui_find_shown_label (window, "Exporting") == NULL;
}

static gboolean
export_toast_gone (gpointer window)
{
  return ui_find_shown_label (window, "Exported") == NULL;
}

/* The shown button of the "Exporting…" toast. */
static GtkWidget *
export_cancel_button (WindowFixture *fixture)
{
  GtkWidget *button = ui_find_actionable (GTK_WIDGET (fixture->window), "win.cancel-export");

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_mapped (button));
  return button;
}

/* Journey 7: the filtered list, in its order, to a CSV file (read back from the store in a
 * thread). */
static void
test_export_csv (WindowFixture *fixture,
                 gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "export.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;

  gtk_editable_set_text (search_entry (fixture), "toys");
  pd_window_export_csv (PD_WINDOW (fixture->window), file);
  /* Said at once, with a way out, until the export ends. */
  g_assert_nonnull (ui_find_shown_label (GTK_WIDGET (fixture->window),
                                         "Exporting 2 organizations…"));
  export_cancel_button (fixture);
  g_assert_true (pd_test_wait_until (export_done, fixture->window, 10000));
  /* Then the outcome, in a toast of its own, in place of the first. */
  g_assert_true (pd_test_wait_until (exported_shown, fixture->window, 5000));
  g_assert_nonnull (ui_find_shown_label (GTK_WIDGET (fixture->window),
                                         "Exported 2 organizations"));
  g_assert_true (pd_test_wait_until (exporting_gone, fixture->window, 5000));
  /* It goes after a toast's time. */
  g_assert_true (pd_test_wait_until (export_toast_gone, fixture->window, 10000));
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\r\n", -1);
  /* Header, two organizations, and the empty string after the last CRLF. */
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_nonnull (strstr (lines[1], "Tailspin Toys"));
  g_assert_nonnull (strstr (lines[2], "Wingtip Toys"));
  /* Full organizations: the bill-to is in the file. */
  g_assert_nonnull (strstr (lines[1], "Köln"));
}

static gboolean
export_cancelled_shown (gpointer window)
{
  return ui_find_shown_label (window, "Export cancelled: “export.csv” was not changed") != NULL;
}

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; (p = strstr (p, "\r\n")) != NULL; p += 2)
    n++;
  return n;
}

/* The files of dir that are not the cache's own. */
static guint
count_other_files (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    if (!g_str_has_prefix (name, "partner-desk.db"))
      n++;
  return n;
}

/* What Tab does: the table's own handler inside the table (one Tab stop), GTK's focus chain
 * elsewhere, from the top again after its end. */
static void
press_tab (WindowFixture *fixture)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkWidget *view = ui_find_widget (GTK_WIDGET (window_fixture_list (fixture)),
                                    GTK_TYPE_COLUMN_VIEW);

  if (focus_inside (window, view))
    g_assert_true (press_key_on_table (view, GDK_KEY_Tab, 0));
  else if (!gtk_widget_child_focus (window, GTK_DIR_TAB_FORWARD))
    {
      gtk_root_set_focus (GTK_ROOT (window), NULL);
      gtk_widget_child_focus (window, GTK_DIR_TAB_FORWARD);
    }
}

/* The toast's Cancel stops a long export, and the file is as it was: no half of a new export
 * under its name, no temporary file beside it. */
/* A filter's rows start at the top, as a search's do: the view kept its offset, and the first
 * matches were above it. */
static void
test_filter_starts_at_top (WindowFixture *fixture,
                           gconstpointer  data)
{
  PdOrganizationList *list = window_fixture_list (fixture);
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (
    GTK_SCROLLABLE (ui_find_widget (GTK_WIDGET (list), GTK_TYPE_COLUMN_VIEW)));
  g_autoptr(GArray) ids = pd_organization_list_dup_visible_ids (list);

  pd_organization_list_select (list, g_array_index (ids, gint64, ids->len - 1));
  pd_test_spin (200);
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), >, 0);
  pd_organization_list_set_filter (list, PD_FILTER_NEW);
  pd_test_spin (200);
  g_assert_cmpuint (n_visible (fixture), >, 100);
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, 0);
}

static void
test_export_cancel (WindowFixture *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "export.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *button;

  g_assert_cmpuint (n_visible (fixture), ==, WINDOW_FIXTURE_N_MANY);
  g_assert_true (g_file_set_contents (path, "an earlier export\n", -1, &error));
  g_assert_no_error (error);
  pd_window_export_csv (PD_WINDOW (fixture->window), file);
  button = export_cancel_button (fixture);
  /* Tab reaches it (the export's end waits for the main loop, which Tab does not run). */
  for (guint i = 0; i < 100 && !gtk_widget_has_focus (button); i++)
    press_tab (fixture);
  g_assert_true (gtk_widget_has_focus (button));
  /* Clicked at once (its keyboard activation clicks after a quarter of a second). */
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (pd_test_wait_until (export_done, fixture->window, 10000));
  g_assert_true (pd_test_wait_until (export_cancelled_shown, fixture->window, 5000));
  g_assert_true (pd_test_wait_until (exporting_gone, fixture->window, 5000));
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_equal (contents, "an earlier export\n"));
  g_assert_cmpuint (count_other_files (fixture->dir), ==, 1);
  /* The next export, not cancelled, writes every row. */
  g_clear_pointer (&contents, g_free);
  pd_window_export_csv (PD_WINDOW (fixture->window), file);
  g_assert_true (pd_test_wait_until (export_done, fixture->window, 30000));
  g_assert_true (pd_test_wait_until (exported_shown, fixture->window, 5000));
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_lines (contents), ==, 1 + WINDOW_FIXTURE_N_MANY);
  g_assert_cmpuint (count_other_files (fixture->dir), ==, 1);
}

#define N_STAGED 200

typedef struct {
  WindowFixture *fixture;
  guint          n_seen;   /* the rows the list model has announced */
  guint          n_max;    /* the most announced since n_max was reset */
} StagedWatch;

/* Every "items-changed" must fit what was announced before it. */
static void
on_staged_items_changed (GListModel  *model,
                         guint        position,
                         guint        removed,
                         guint        added,
                         StagedWatch *watch)
{
  g_assert_cmpuint (position + removed, <=, watch->n_seen);
  watch->n_seen = watch->n_seen - removed + added;
  g_assert_cmpuint (watch->n_seen, ==, g_list_model_get_n_items (model));
  watch->n_max = MAX (watch->n_max, watch->n_seen);
}

static gboolean
staged_loaded (gpointer data)
{
  return pd_organization_list_get_n_total (window_fixture_list (data)) == 9 + N_STAGED;
}

static GtkColumnView *
table (WindowFixture *fixture)
{
  GtkWidget *view = ui_find_widget (GTK_WIDGET (window_fixture_list (fixture)),
                                    GTK_TYPE_COLUMN_VIEW);

  g_assert_nonnull (view);
  return GTK_COLUMN_VIEW (view);
}

static gboolean
table_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (table (data)));
}

static guint
selected_position (WindowFixture *fixture)
{
  return gtk_single_selection_get_selected (
    GTK_SINGLE_SELECTION (gtk_column_view_get_model (table (fixture))));
}

static guint staged_target;

static gboolean
all_shown (gpointer data)
{
  return n_visible (data) == staged_target;
}

/* A search that turns a few results into many shows a screenful in the first frame and the
 * rest after it, keeping the selection; the next keystroke replaces what was still to come. */
static void
test_search_stages_rows (WindowFixture *fixture,
                         gconstpointer  data)
{
  PdOrganizationList *list = window_fixture_list (fixture);
  GListModel *model = pd_organization_list_get_model (list);
  g_autoptr(GError) error = NULL;
  StagedWatch watch = { fixture, 0, 0 };
  gint64 selected;

  for (guint i = 0; i < N_STAGED; i++)
    {
      g_autofree char *name = g_strdup_printf ("Staged %03u", i);

      g_assert_true (pd_store_create_manual (fixture->store, name, NULL, "DE", NULL, &error));
      g_assert_no_error (error);
    }
  pd_session_notify_changed (fixture->session, 0);
  g_assert_true (pd_test_wait_until (staged_loaded, fixture, 10000));
  g_assert_true (pd_test_wait_until (table_mapped, fixture, 5000));

  gtk_editable_set_text (search_entry (fixture), "staged 007");
  g_assert_cmpuint (n_visible (fixture), ==, 1);
  gtk_single_selection_set_selected (
    GTK_SINGLE_SELECTION (gtk_column_view_get_model (table (fixture))), 0);
  selected = pd_organization_list_get_selected_id (list);
  g_assert_cmpint (selected, !=, 0);
  watch.n_seen = n_visible (fixture);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_staged_items_changed), &watch);

  gtk_editable_set_text (search_entry (fixture), "staged");
  g_assert_cmpuint (n_visible (fixture), >, 7);
  g_assert_cmpuint (n_visible (fixture), <, N_STAGED);
  g_assert_cmpint (pd_organization_list_get_selected_id (list), ==, selected);
  g_assert_cmpuint (selected_position (fixture), ==, 7);
  staged_target = N_STAGED;
  g_assert_true (pd_test_wait_until (all_shown, fixture, 5000));
  g_assert_cmpint (pd_organization_list_get_selected_id (list), ==, selected);
  g_assert_cmpuint (selected_position (fixture), ==, 7);

  /* Staged again, then narrowed before the rest came: the 200 are never announced. */
  gtk_editable_set_text (search_entry (fixture), "staged 00");
  gtk_editable_set_text (search_entry (fixture), "staged");
  g_assert_cmpuint (n_visible (fixture), <, N_STAGED);
  watch.n_max = 0;
  gtk_editable_set_text (search_entry (fixture), "staged 1");
  staged_target = store_count (fixture, "staged 1", PD_FILTER_ALL, NULL);
  g_assert_cmpuint (staged_target, ==, 100);
  g_assert_true (pd_test_wait_until (all_shown, fixture, 5000));
  g_assert_cmpuint (watch.n_max, ==, 100);
  g_signal_handlers_disconnect_by_data (model, &watch);
}

int
main (int    argc,
      char **argv)
{
  window_fixture_init (&argc, &argv);

#define ADD(path, func, data) \
  g_test_add (path, WindowFixture, data, window_fixture_set_up, func, window_fixture_tear_down)
  ADD ("/window/opens-on-cache", test_window_opens_on_cache, NULL);
  ADD ("/window/search-matches-store", test_search_matches_store, NULL);
  ADD ("/window/search-typing-matches-store", test_search_typing_matches_store, NULL);
  ADD ("/window/search-stages-rows", test_search_stages_rows, NULL);
  ADD ("/window/filters-match-store", test_filters_match_store, NULL);
  ADD ("/window/filters-all-visible", test_filters_all_visible, NULL);
  ADD ("/window/filter-search-reseller", test_filter_with_search_and_reseller, NULL);
  ADD ("/window/show-organization", test_show_organization_action, NULL);
  ADD ("/window/search-action", test_search_action_focuses_entry, NULL);
  ADD ("/window/unreadable-bill-to", test_unreadable_bill_to, NULL);
  ADD ("/window/not-read-yet", test_not_read_yet, NULL);
  ADD ("/window/direction-mark-shown-replaced", test_direction_mark_shown_replaced, NULL);
  ADD ("/window/open-puts-focus-on-top", test_open_puts_focus_on_top, NULL);
  ADD ("/window/search-enter-and-down", test_search_enter_and_down, NULL);
  ADD ("/window/refresh-on-change", test_refresh_on_change, NULL);
  ADD ("/window/empty-signed-out", test_empty_signed_out, WINDOW_FIXTURE_EMPTY);
  ADD ("/window/narrow", test_narrow_window, NULL);
  ADD ("/window/minimum-width", test_minimum_width, NULL);
  ADD ("/window/actions-signed-out", test_actions_signed_out, NULL);
  ADD ("/window/sort-by-column", test_sort_by_column, NULL);
  ADD ("/window/keyboard-regions", test_keyboard_regions, NULL);
  ADD ("/window/sort-from-menu", test_sort_from_menu, NULL);
  ADD ("/window/remembers-view", test_remembers_view, NULL);
  ADD ("/window/export-csv", test_export_csv, NULL);
  ADD ("/window/export-cancel", test_export_cancel, WINDOW_FIXTURE_MANY);
  ADD ("/window/filter-starts-at-top", test_filter_starts_at_top, WINDOW_FIXTURE_MANY);
#undef ADD

  return g_test_run ();
}
