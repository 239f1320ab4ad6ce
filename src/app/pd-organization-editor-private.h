/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-organization-editor-private.h — what the files of PdOrganizationEditor share (as GNOME
 * Text Editor's editor-window-private.h): its struct, and the toasts and the focused field
 * kept clear of them (pd-organization-editor-toasts.c), what shows its values
 * (pd-organization-editor-show.c), its undo (pd-organization-editor-undo.c). Included by
 * those files only. */
#pragma once

#include <adwaita.h>

#include "pd-bill-to-editor.h"
#include "pd-code-row.h"
#include "pd-entry-row.h"
#include "pd-history-list.h"
#include "pd-organization-editor.h"
#include "pd-tag-row.h"

G_BEGIN_DECLS

struct _PdOrganizationEditor
{
  AdwBin           parent_instance;

  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  GtkLabel        *name_label;
  GtkWidget       *removed_box;
  AdwActionRow    *tenant_row;
  GtkWidget       *copy_tenant_button;
  AdwActionRow    *domain_row;
  AdwActionRow    *source_row;
  AdwActionRow    *synced_row;
  AdwActionRow    *account_row;
  GtkWidget       *account_spinner;
  GtkWidget       *manual_group;
  PdEntryRow      *name_row;
  PdEntryRow      *domain_edit_row;
  PdCodeRow    *country_row;
  PdEntryRow      *link_row;
  PdBillToEditor  *bill_to_editor;
  PdEntryRow      *erp_row;
  AdwActionRow    *erp_error_row;
  PdEntryRow      *registration_row;
  PdTagRow        *segments_row;
  PdCodeRow   *currency_row;
  AdwComboRow     *status_row;
  GtkWidget       *approve_button;
  PdTagRow        *login_row;
  PdEntryRow      *manager_row;
  GtkTextView     *notes_view;
  PdHistoryList   *history_list;
  GtkScrolledWindow *scroller;

  PdSession       *session;
  PdOrganization  *org;
  gint64           org_id;
  gint64           erp_owner_id;  /* the organization an ERP ID clash names */
  GHashTable      *pending;       /* key → PendingEdit */
  GPtrArray       *retries;       /* PendingEdit the cache was busy for, written again later */
  guint            retry_id;
  gboolean         retry_overtaken; /* a retry of the one on screen was dropped: show the cache */
  GQueue           undo;          /* UndoEntry, newest first */
  AdwToast        *toast;         /* weak */
  gboolean         loading;       /* filling the widgets: their signals are not edits */
  gboolean         registration_missing; /* the registration row's error is "required" */
  gboolean         can_undo;
  GtkWidget       *anchor;        /* weak: the widget to keep in place across a layout */
  double           anchor_y;
  gboolean         clear_of_toasts; /* after the layout, scroll the focus above the toasts */
  gulong           layout_handler;
  GCancellable    *account_check; /* the running "Check Account Status", or NULL */
  gint64           account_check_id; /* the organization it asks about */
  guint            clock_id;      /* a minute's tick: "5 minutes ago", "Today at" age */
  char            *history_day;   /* the local day the history's "Today at" was written on */
};

/* A toast over the pane (with_undo: an Undo button for the window's undo); the field being
 * typed in is then scrolled clear of it. */
void _pd_organization_editor_show_toast       (PdOrganizationEditor *self,
                                               const char           *title,
                                               gboolean              with_undo);
/* What appears or goes above the focused field must not move it under the user's cursor:
 * called before the next layout, the pane then scrolls by as much as the field moved. */
void _pd_organization_editor_hold_focus_still (PdOrganizationEditor *self);
/* The widget that shows a key's errors (NULL for bill-to keys: their rows show problems). */
GtkWidget *_pd_organization_editor_key_widget (PdOrganizationEditor *self,
                                               const char           *key);

/* pd-organization-editor.c, for the other files: every action's enabled state; one value
 * written without touching the undo stack; a field's error cleared; a kept retry of key
 * dropped. */
void     _pd_organization_editor_actions_update  (PdOrganizationEditor *self);
gboolean _pd_organization_editor_write_value     (PdOrganizationEditor *self,
                                                  gint64                org_id,
                                                  const char           *key,
                                                  const char           *value,
                                                  gboolean              overridden,
                                                  GError              **error);
void     _pd_organization_editor_clear_key_error (PdOrganizationEditor *self,
                                                  const char           *key);
void     _pd_organization_editor_drop_retry      (PdOrganizationEditor *self,
                                                  gint64                org_id,
                                                  const char           *key);
/* Undo while typing: the newest edit of the organization shown that is not saved yet is
 * dropped, and its field shows the saved value again. Its key, or NULL when there was none.
 * (transfer full) */
char    *_pd_organization_editor_undo_typing     (PdOrganizationEditor *self);
/* pd-organization-editor-undo.c: a save of key (before: the organization as it was) put on
 * the undo stack (mergeable: later saves of the field a moment after join it); the stack
 * emptied; its entries moved to another organization. */
void     _pd_organization_editor_push_undo       (PdOrganizationEditor *self,
                                                  gint64                org_id,
                                                  const char           *key,
                                                  PdOrganization       *before,
                                                  gboolean              mergeable);
void     _pd_organization_editor_clear_undo      (PdOrganizationEditor *self);
/* The undo entries of organization from act on into (it was linked there). */
void     _pd_organization_editor_retarget_undo   (PdOrganizationEditor *self,
                                                  gint64                from,
                                                  gint64                into);
/* pd-organization-editor-show.c: self->org's values in the widgets; a field with an edit not
 * saved yet, or refused, keeps what was typed. */
void _pd_organization_editor_show_header               (PdOrganizationEditor *self);
void _pd_organization_editor_show_manual_fields        (PdOrganizationEditor *self);
void _pd_organization_editor_show_local_fields         (PdOrganizationEditor *self);
void _pd_organization_editor_show_account_status       (PdOrganizationEditor *self);
/* The registration number's row says why it is needed, for the country as typed. */
void _pd_organization_editor_show_registration_problem (PdOrganizationEditor *self);

/* The minute clock's work: the header's, the bill-to read's and (on a new day) the history's
 * times are written again for now, leaving the fields alone. */
void _pd_organization_editor_refresh_times    (PdOrganizationEditor *self);

G_END_DECLS
