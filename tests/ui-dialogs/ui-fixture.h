/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ui-fixture.h — a session on a small temporary cache for the editor and dialog tests. */
#pragma once

#include <adwaita.h>

#include "pd-session.h"

G_BEGIN_DECLS

#define FIXTURE_CONTOSO_TENANT  "11111111-1111-4111-8111-111111111111"
#define FIXTURE_FABRIKAM_TENANT "22222222-2222-4222-8222-222222222222"
#define FIXTURE_PARTNER_TENANT  "99999999-9999-4999-8999-999999999999"

typedef struct
{
  char      *dir;
  PdStore   *store;
  GSettings *settings;
  PdSession *session;
  gint64     contoso_id;    /* complete German bill-to, Partner Center */
  gint64     fabrikam_id;   /* US bill-to without state and postal code */
  gint64     northwind_id;  /* manual, ERP ID "ERP-100" */
} UiFixture;

void       ui_fixture_set_up        (UiFixture *fixture, gconstpointer data);
void       ui_fixture_tear_down     (UiFixture *fixture, gconstpointer data);
/* Common test set-up plus adw_init; tests never touch the user's files. */
void       ui_fixture_init          (int *argc, char ***argv);
/* A window showing child, presented (so that focus and actions behave as in the app). */
GtkWindow *ui_fixture_present       (GtkWidget *child);
/* A template child of widget (declared in type's .ui) by id. */
gpointer   ui_fixture_child         (gpointer widget, GType type, const char *name);
/* Spins the main loop until the widget is visible, at most timeout_ms. */
gboolean   ui_fixture_wait_visible  (GtkWidget *widget, guint timeout_ms);
/* In the open popover of a searchable picker row (PdCountryRow, PdCurrencyRow) of type: types
 * search, waits (bounded) until first is the first item shown and presses Enter in the
 * search, as a user does. */
void       ui_fixture_search_pick   (GtkWidget *row, GType type, const char *search,
                                     const char *first);
/* Spins until the stack shows the page named name, at most timeout_ms. */
gboolean   ui_fixture_wait_stack_page (GtkStack *stack, const char *name, guint timeout_ms);
/* The first descendant (depth first) of type whose title/label contains text, or NULL. */
GtkWidget *ui_fixture_find_text     (GtkWidget *root, GType type, const char *text);
/* Spins until ui_fixture_find_text finds one, at most timeout_ms: whether it did. */
gboolean   ui_fixture_wait_text     (GtkWidget *root, GType type, const char *text,
                                     guint timeout_ms);
/* Asserts that every interactive widget on screen under root has an accessible name (a
 * label property or a labelled-by relation), listing the ones that do not. */
void       ui_fixture_assert_all_named (GtkWidget *root);
/* The text on widget's clipboard (waits, bounded, for the read). */
char      *ui_fixture_read_clipboard (GtkWidget *widget);
/* Makes the fixture's Partner Center customer tenant_id a customer of an indirect reseller. */
void       ui_fixture_set_reseller  (UiFixture *fixture, const char *tenant_id,
                                     const char *reseller_id, const char *reseller_name);
/* Destroys a window and spins until it is gone. */
void       ui_fixture_destroy       (GtkWindow *window);

G_END_DECLS
