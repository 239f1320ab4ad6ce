/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ui-window-fixture.h — a cache with a known mix of organizations, the real window on it, and
 * helpers to find and wait for widgets (tests/ui). */
#pragma once

#include <adwaita.h>

#include "pd-application-private.h"
#include "pd-organization-list-private.h"
#include "pd-session.h"
#include "pd-window-private.h"

G_BEGIN_DECLS

#define RESELLER_ONE "aaaaaaaa-0000-4000-8000-000000000001"
/* Why the fixture's refused customer's bill-to is not readable. */
#define REFUSED_REASON "Partner Center refused access to this customer’s billing profile (403)"

typedef struct
{
  char      *dir;
  char      *path;
  PdStore   *store;
  PdSession *session;
  GtkWindow *window;
  gint64     contoso_id;     /* complete, ERP-7, Berlin */
  gint64     fabrikam_id;    /* US bill-to without state and postal code */
  gint64     northwind_id;   /* local bill-to edit (city) */
  gint64     adatum_id;      /* removed from Partner Center */
  gint64     litware_id;     /* manual, ERP-100 */
  gint64     refused_id;     /* listed, bill-to refused (403): not readable */
} WindowFixture;

/* What window_fixture_set_up fills the cache with, beside the known mix (data NULL). */
#define WINDOW_FIXTURE_EMPTY GINT_TO_POINTER (1)
#define WINDOW_FIXTURE_MANY  GINT_TO_POINTER (2)  /* seed_many_customers: a slow export */
#define WINDOW_FIXTURE_N_MANY 30000

/* pd_test_init, GTK/libadwaita init. */
void       window_fixture_init        (int *argc, char ***argv);
/* Fills a cache in a temporary dir (as data says), opens a session on it and presents the real
 * window; waits until its first load finished. */
void       window_fixture_set_up      (WindowFixture *fixture, gconstpointer data);
void       window_fixture_tear_down   (WindowFixture *fixture, gconstpointer data);
PdOrganizationList *window_fixture_list (WindowFixture *fixture);
/* Waits (bounded) until the list is not loading. */
gboolean   window_fixture_wait_loaded (WindowFixture *fixture, guint timeout_ms);

/* PdApplication as the desktop starts it, on a cache in a temporary dir (PARTNER_DESK_DB). */
typedef struct
{
  char          *dir;
  char          *path;
  PdApplication *app;
} AppFixture;

/* A new application with an id of its own (tests share one D-Bus session, and an application
 * stays exported on it after its test); not registered yet, so that a test can set the
 * environment it starts with. */
void       app_fixture_set_up         (AppFixture *fixture, gconstpointer data);
void       app_fixture_tear_down      (AppFixture *fixture, gconstpointer data);
/* Registers (startup: cache, session, sign-in) and activates; returns the window. */
GtkWindow *app_fixture_start          (AppFixture *fixture);

/* A connection of its own to the session bus, owning name there (for fake desktop services;
 * the name goes when the connection is closed). Asserts when there is no session bus: the ui
 * suite runs inside dbus-run-session. */
GDBusConnection *ui_session_bus_own_name (const char *name);

/* Widget tree helpers. */
typedef gboolean (*UiWidgetMatch) (GtkWidget *widget, gconstpointer data);
/* The first widget under root (root included, depth first) that match accepts, or NULL. */
GtkWidget *ui_find_matching           (GtkWidget *root, UiWidgetMatch match, gconstpointer data);
GtkWidget *ui_find_widget             (GtkWidget *root, GType type);
/* A GtkStack under root that has a page called page_name. */
GtkStack  *ui_find_stack_with_page    (GtkWidget *root, const char *page_name);
/* Every descendant with css_class, in tree order. */
GPtrArray *ui_find_with_class         (GtkWidget *root, const char *css_class);
/* The first GtkActionable under root (root included) bound to action_name ("win.sync"). */
GtkWidget *ui_find_actionable         (GtkWidget *root, const char *action_name);
/* The first shown (mapped) GtkLabel under root (root included) whose text starts with prefix:
 * a toast's, not a tooltip's kept for later. */
GtkLabel  *ui_find_shown_label        (GtkWidget *root, const char *prefix);
/* The visible message dialog over window, or NULL. */
AdwMessageDialog *ui_find_message_dialog (GtkWindow *window);
/* A visible toplevel window of type (a dialog the app presented), or NULL. */
GtkWindow *ui_find_toplevel           (GType type);

G_END_DECLS
