/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-bill-to-editor.c — bill-to rows, local-edit warning and live missing-fields list (with
 * the registration number some countries require). */
#include "config.h"

#include <glib/gi18n.h>

#include "pd-app-util.h"
#include "pd-bill-to-editor-private.h"
#include "pd-entry-row.h"
#include "core/pd-text.h"
#include "sync/pd-bill-to-change.h"

typedef struct
{
  PdEntryRow  *row;
  GtkWidget   *pc_box;        /* "Partner Center" over its value, shown when overridden */
  GtkLabel    *pc_label;
  GtkButton   *revert_button;
} FieldRow;

struct _PdBillToEditor
{
  AdwBin               parent_instance;

  GtkWidget           *read_box;
  GtkLabel            *read_title;
  GtkLabel            *read_label;
  GtkWidget           *warning_box;
  GtkLabel            *reseller_label;
  GtkButton           *copy_request_button;
  GtkButton           *push_button;
  AdwPreferencesGroup *contact_group;
  AdwPreferencesGroup *address_group;
  GtkListBox          *missing_list;

  FieldRow             fields[PD_BILL_TO_N_FIELDS];
  PdOrganization      *org;
  PdCountryRules      *rules;
  GStrv                problem_fields;
  char                *registration_number;  /* as typed in the organization editor */
  char                *registration_problem; /* why it is needed, NULL when it is not */
  guint32              edited_fields;   /* typed into since the organization was shown */
  gboolean             reseller;
  gboolean             can_push;
  gboolean             updating;        /* setting text programmatically: not an edit */
};

G_DEFINE_FINAL_TYPE (PdBillToEditor, pd_bill_to_editor, ADW_TYPE_BIN)

enum { FIELD_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* The contact fields go in the first group, the address in the second. */
static gboolean
field_is_contact (PdBillToField field)
{
  return field <= PD_BILL_TO_LANGUAGE;
}

/* Whether the values shown stand over Partner Center's: those of a manual organization without
 * a tenant are all its own (no Partner Center value beside them, nothing to revert to, nothing
 * a sync replaces). */
static gboolean
over_partner_center (PdBillToEditor *self)
{
  return self->org != NULL && pd_organization_has_partner_center (self->org);
}

static void
update_warning (PdBillToEditor *self)
{
  gboolean synced = over_partner_center (self);
  gboolean overridden = synced && pd_organization_get_has_local_edits (self->org);
  gboolean visible = overridden || (synced && self->edited_fields != 0);
  gboolean has_tenant = self->org != NULL && pd_organization_get_tenant_id (self->org) != NULL;

  gtk_widget_set_visible (self->warning_box, visible);
  gtk_widget_set_visible (GTK_WIDGET (self->reseller_label), self->reseller);
  gtk_widget_set_visible (GTK_WIDGET (self->copy_request_button), self->reseller);
  gtk_widget_set_visible (GTK_WIDGET (self->push_button),
                          self->can_push && has_tenant && overridden);
}

/* What a row of the readiness list says; each has its icon and colour. */
typedef enum
{
  READINESS_COMPLETE,     /* Microsoft accepts orders */
  READINESS_LOCAL_ONLY,   /* complete only locally: orders still refused */
  READINESS_UNKNOWN,      /* Partner Center's bill-to could not be read */
  READINESS_PROBLEM,      /* a field to fix: the row takes the user to it */
  READINESS_LOCAL_GAP,    /* only the local edits lack it: orders are still accepted */
} ReadinessKind;

static GtkWidget *
create_missing_row (ReadinessKind  kind,
                    const char    *text)
{
  static const struct { const char *icon, *style; } looks[] = {
    [READINESS_COMPLETE] = { "emblem-ok-symbolic", "success" },
    [READINESS_LOCAL_ONLY] = { "dialog-warning-symbolic", "warning" },
    [READINESS_UNKNOWN] = { "action-unavailable-symbolic", "dim-label" },
    [READINESS_PROBLEM] = { "dialog-warning-symbolic", "error" },
    [READINESS_LOCAL_GAP] = { "dialog-warning-symbolic", "warning" },
  };
  GtkWidget *row = pd_app_util_new_text_row (text, NULL);
  GtkWidget *icon = gtk_image_new_from_icon_name (looks[kind].icon);

  /* A problem row takes the user (and the keyboard focus) to the field to fix. */
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row),
                                    kind == READINESS_PROBLEM || kind == READINESS_LOCAL_GAP);
  gtk_widget_add_css_class (icon, looks[kind].style);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  return row;
}

static void
mark_row_problem (PdBillToEditor *self,
                  PdBillToField   field,
                  const char     *reason)
{
  pd_app_util_set_error (GTK_WIDGET (self->fields[field].row), reason);
}

/* "Allowed: AL, AK, …" under a state problem, so that the fix is in sight. */
static void
show_allowed_states (PdBillToEditor *self,
                     const PdBillTo *values,
                     AdwActionRow   *row)
{
  const char *country = pd_bill_to_get (values, PD_BILL_TO_COUNTRY);
  const PdCountryRule *rule = country != NULL ? pd_country_rules_lookup (self->rules, country)
                                              : NULL;
  g_autofree char *states = NULL;
  g_autofree char *subtitle = NULL;

  if (rule == NULL || rule->allowed_states == NULL)
    return;
  states = g_strjoinv (", ", rule->allowed_states);
  subtitle = g_strdup_printf (_("Allowed: %s"), states);
  adw_action_row_set_subtitle (row, subtitle);
  adw_action_row_set_subtitle_lines (row, 3);
}

/* The values as shown lack nothing: orders are accepted only if Partner Center's bill-to (what
 * Microsoft checks) lacks nothing either. A local fill is said to be one. Of a bill-to never
 * read, or whose latest read failed, only what was last read is known: no verdict on now. */
static GtkWidget *
create_readiness_row (PdBillToEditor *self)
{
  /* A manual organization's own values are what Microsoft would check: as typed (the list
   * of problems above them is empty), they lack nothing; what is stored may not have them
   * yet (a save in a moment, or kept for a busy cache). */
  g_autoptr(GPtrArray) ordering = pd_organization_get_source (self->org) == PD_ORG_SOURCE_MANUAL
                                  ? g_ptr_array_new ()
                                  : pd_missing_fields_for_orders (self->org, self->rules);
  const char *note = pd_missing_fields_local_registration_note (self->org, ordering);
  g_autofree char *labels = NULL;
  g_autofree char *text = NULL;
  const char *blocker;

  /* Complete, yet no order: the customer left Partner Center, or its account is blocked. */
  if (ordering->len == 0 && (blocker = pd_organization_get_order_blocker (self->org)) != NULL)
    return create_missing_row (READINESS_LOCAL_ONLY, blocker);
  if (pd_organization_get_bill_to_state (self->org) == PD_BILL_TO_STATE_NOT_READ)
    return create_missing_row (READINESS_UNKNOWN,
                               _("Filled in locally — the bill-to has not been read from Partner "
                                 "Center yet, so whether Microsoft accepts orders is not known"));
  if (pd_organization_get_bill_to_unreadable (self->org))
    return create_missing_row (READINESS_UNKNOWN,
                               _("Filled in locally — Partner Center’s bill-to could not be read, "
                                 "so whether Microsoft accepts orders is not known"));
  /* Complete when last read, but the latest read failed: Partner Center may hold another
   * bill-to now (the read card says when that read was). */
  if (ordering->len == 0 && pd_organization_get_bill_to_stale (self->org))
    return create_missing_row (READINESS_UNKNOWN,
                               _("Complete as last read — the latest read failed, so whether "
                                 "Microsoft accepts orders now is not known"));
  /* A synced customer's verdict is on Partner Center's bill-to, which local edits leave. */
  if (ordering->len == 0)
    return create_missing_row (READINESS_COMPLETE,
                               pd_organization_get_source (self->org) == PD_ORG_SOURCE_MANUAL
                                 ? _("Complete: Microsoft accepts orders for this bill-to")
                                 : _("Complete in Partner Center: Microsoft accepts orders"));
  if (note != NULL)
    return create_missing_row (READINESS_UNKNOWN, note);
  labels = pd_missing_fields_join_labels (ordering);
  if (pd_organization_get_bill_to_stale (self->org))
    {
      text = g_strdup_printf (_("Filled in locally — Partner Center lacked %s as last read; the "
                                "latest read failed, so whether Microsoft accepts orders now is "
                                "not known"), labels);
      return create_missing_row (READINESS_UNKNOWN, text);
    }
  text = g_strdup_printf (_("Filled in locally — Partner Center still lacks %s, so orders are "
                            "refused until Partner Center is updated"), labels);
  return create_missing_row (READINESS_LOCAL_ONLY, text);
}

/* A bill-to Partner Center could not be read says why, and that the next sync tries again; one
 * kept from an earlier read says when that was (design.md §3: never less than we know, never
 * a fresh read claimed). */
static void
update_read_card (PdBillToEditor *self)
{
  g_autofree char *text = self->org != NULL ? pd_app_util_dup_bill_to_read_text (self->org)
                                            : NULL;
  g_autofree char *ago = NULL;
  g_autofree char *title = NULL;

  gtk_widget_set_visible (self->read_box, text != NULL);
  if (text == NULL)
    return;
  if (pd_organization_get_bill_to_state (self->org) == PD_BILL_TO_STATE_NOT_READ)
    title = g_strdup (_("Bill-to not read yet"));
  else if (pd_organization_get_bill_to_unreadable (self->org))
    title = g_strdup (_("Bill-to not readable"));
  else
    {
      ago = pd_app_util_format_ago (pd_organization_get_bill_to_read_at (self->org));
      title = g_strdup_printf (_("Bill-to as last read %s"), ago);
    }
  gtk_label_set_label (self->read_title, title);
  gtk_label_set_label (self->read_label, text);
}

void
pd_bill_to_editor_refresh_times (PdBillToEditor *self)
{
  g_return_if_fail (PD_IS_BILL_TO_EDITOR (self));

  update_read_card (self);
}

/* Nothing is known of a bill-to never read: no verdict on what it lacks until something is
 * typed. One that no read has tried yet (a sync reads it after the list) was not refused. */
static gboolean
readiness_unknown (PdBillToEditor *self)
{
  gboolean tried = pd_organization_get_bill_to_state (self->org) != PD_BILL_TO_STATE_NOT_READ;

  if (!pd_organization_get_bill_to_unreadable (self->org) || self->edited_fields != 0)
    return FALSE;
  gtk_list_box_append (self->missing_list,
                       create_missing_row (READINESS_UNKNOWN,
                                           tried ? _("Not known: Partner Center’s bill-to could "
                                                     "not be read")
                                                 : _("Not known yet: the bill-to has not been "
                                                     "read from Partner Center")));
  return TRUE;
}

/* Whether the bill-to Microsoft checks of a synced customer, Partner Center's as read, lacks
 * nothing: then what the values as typed lack is a gap of the local edits alone, and orders are
 * still accepted (or refused for another reason create_readiness_row gives). */
static gboolean
partner_center_lacks_nothing (PdBillToEditor *self)
{
  g_autoptr(GPtrArray) ordering = NULL;

  if (pd_organization_get_source (self->org) == PD_ORG_SOURCE_MANUAL
      || pd_organization_get_bill_to_state (self->org) == PD_BILL_TO_STATE_NOT_READ
      || pd_organization_get_bill_to_unreadable (self->org))
    return FALSE;
  ordering = pd_missing_fields_for_orders (self->org, self->rules);
  return ordering->len == 0;
}

/* Recomputes what stops Microsoft from accepting orders, from the values as typed. */
static void
update_missing (PdBillToEditor *self)
{
  g_autoptr(PdBillTo) values = NULL;
  g_autoptr(GPtrArray) missing = NULL;
  g_autoptr(GStrvBuilder) paths = g_strv_builder_new ();
  gboolean local_gaps;

  pd_app_util_list_box_clear (self->missing_list);
  for (guint f = 0; f < PD_BILL_TO_N_FIELDS; f++)
    mark_row_problem (self, f, NULL);
  g_clear_pointer (&self->problem_fields, g_strfreev);
  g_clear_pointer (&self->registration_problem, g_free);
  if (self->org == NULL || self->rules == NULL)
    {
      self->problem_fields = g_strv_builder_end (paths);
      return;
    }
  if (readiness_unknown (self))
    {
      self->problem_fields = g_strv_builder_end (paths);
      return;
    }
  values = pd_bill_to_editor_dup_values (self);
  missing = pd_missing_fields_for (values, self->registration_number, self->rules);
  local_gaps = missing->len > 0 && partner_center_lacks_nothing (self);
  /* What Microsoft checks comes first; the local edits' gaps are not a refusal. */
  if (local_gaps)
    {
      GtkWidget *row = create_readiness_row (self);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("With your local edits the bill-to would lack:"));
      gtk_list_box_append (self->missing_list, row);
    }
  for (guint i = 0; i < missing->len; i++)
    {
      PdMissingField *m = g_ptr_array_index (missing, i);

      GtkWidget *row = create_missing_row (local_gaps ? READINESS_LOCAL_GAP : READINESS_PROBLEM,
                                           m->reason);

      if (m->field == PD_BILL_TO_STATE)
        show_allowed_states (self, values, ADW_ACTION_ROW (row));
      /* The registration number's row belongs to the organization editor, which asks. */
      if (m->field == PD_MISSING_REGISTRATION_NUMBER)
        self->registration_problem = g_strdup (m->reason);
      else
        mark_row_problem (self, m->field, m->reason);
      g_strv_builder_add (paths, pd_missing_field_path (m->field));
      g_object_set_data (G_OBJECT (row), "field", GUINT_TO_POINTER (m->field));
      gtk_list_box_append (self->missing_list, row);
    }
  if (missing->len == 0)
    gtk_list_box_append (self->missing_list, create_readiness_row (self));
  self->problem_fields = g_strv_builder_end (paths);
}

static void
on_missing_row_activated (PdBillToEditor *self,
                          GtkListBoxRow  *row)
{
  PdBillToField field = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "field"));

  if (field < PD_BILL_TO_N_FIELDS)
    gtk_widget_grab_focus (GTK_WIDGET (self->fields[field].row));
  else if (field == PD_MISSING_REGISTRATION_NUMBER)
    gtk_widget_activate_action (GTK_WIDGET (self), "editor.focus-registration-number", NULL);
}

static void
on_row_changed (GtkEditable    *editable,
                PdBillToEditor *self)
{
  PdBillToField field = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (editable), "field"));

  if (self->updating || self->org == NULL)
    return;
  self->edited_fields |= 1u << field;
  update_warning (self);
  update_missing (self);
  g_signal_emit (self, signals[FIELD_CHANGED], 0, (guint) field, gtk_editable_get_text (editable));
}

/* Two short lines beside the local value: they stay readable in a narrow pane. */
static GtkWidget *
create_pc_box (GtkLabel **out_value)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *caption = gtk_label_new (_("Partner Center"));
  GtkWidget *value = gtk_label_new (NULL);

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_label_set_xalign (GTK_LABEL (caption), 1.0);
  gtk_label_set_xalign (GTK_LABEL (value), 1.0);
  gtk_label_set_ellipsize (GTK_LABEL (value), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (value), 18);
  gtk_widget_add_css_class (caption, "caption");
  gtk_widget_add_css_class (caption, "dim-label");
  gtk_widget_add_css_class (value, "caption");
  gtk_box_append (GTK_BOX (box), caption);
  gtk_box_append (GTK_BOX (box), value);
  gtk_widget_set_visible (box, FALSE);
  *out_value = GTK_LABEL (value);
  return box;
}

static void
create_field_row (PdBillToEditor *self,
                  PdBillToField   field)
{
  FieldRow *fr = &self->fields[field];
  const char *label = pd_bill_to_field_label (field);
  g_autofree char *revert_label = g_strdup_printf (_("Revert %s to the Partner Center value"),
                                                   label);

  fr->row = PD_ENTRY_ROW (pd_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (fr->row), label);
  g_object_set_data (G_OBJECT (fr->row), "field", GUINT_TO_POINTER (field));

  fr->pc_box = create_pc_box (&fr->pc_label);

  fr->revert_button = GTK_BUTTON (gtk_button_new_from_icon_name ("edit-undo-symbolic"));
  gtk_widget_set_valign (GTK_WIDGET (fr->revert_button), GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (fr->revert_button), "flat");
  gtk_widget_set_tooltip_text (GTK_WIDGET (fr->revert_button), _("Revert to Partner Center value"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (fr->revert_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, revert_label, -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (fr->revert_button),
                                  "editor.revert-bill-to-field");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (fr->revert_button), "i", (gint32) field);
  gtk_widget_set_visible (GTK_WIDGET (fr->revert_button), FALSE);

  pd_entry_row_add_suffix (fr->row, fr->pc_box);
  pd_entry_row_add_suffix (fr->row, GTK_WIDGET (fr->revert_button));
  g_signal_connect (fr->row, "changed", G_CALLBACK (on_row_changed), self);
  adw_preferences_group_add (field_is_contact (field) ? self->contact_group : self->address_group,
                             GTK_WIDGET (fr->row));
}

/* Partner Center's value of a field as shown beside a local edit: its text as written (no
 * direction override turns it round), or that there is none to tell, never "(empty)" for a
 * bill-to nobody read. (transfer full) */
static char *
dup_partner_center_text (PdOrganization *org,
                         const char     *pc)
{
  if (pd_organization_get_bill_to_state (org) == PD_BILL_TO_STATE_NOT_READ)
    return g_strdup (_("not read yet"));
  if (pd_organization_get_bill_to_unreadable (org))
    return g_strdup (_("not readable"));
  return pc != NULL ? pd_text_for_label (pc) : g_strdup (_("(empty)"));
}

/* Shows the stored state of one field: text (unless kept), Partner Center value, revert. */
static void
show_field (PdBillToEditor *self,
            PdBillToField   field,
            gboolean        keep_text)
{
  FieldRow *fr = &self->fields[field];
  const char *value = pd_bill_to_get (pd_organization_get_bill_to (self->org), field);
  const char *pc = pd_bill_to_get (pd_organization_get_bill_to_partner_center (self->org), field);
  gboolean overridden = over_partner_center (self)
                       && pd_organization_is_field_overridden (self->org, field);
  g_autofree char *typed = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (fr->row))));
  g_autofree char *pc_text = dup_partner_center_text (self->org, pc);
  g_autofree char *pc_tooltip = NULL;
  g_autofree char *local_note = NULL;

  /* Rewriting equal text would move the cursor of someone typing a trailing space. */
  if (!keep_text && g_strcmp0 (typed, value != NULL ? value : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (fr->row), value != NULL ? value : "");
  pc_tooltip = g_strdup_printf (_("Partner Center value: %s"), pc_text);
  gtk_label_set_label (fr->pc_label, pc_text);
  gtk_widget_set_tooltip_text (fr->pc_box, pc_tooltip);
  gtk_widget_set_visible (fr->pc_box, overridden);
  /* What the eye sees beside the text, said to a screen reader with the field. */
  if (overridden)
    local_note = g_strdup_printf (pd_organization_get_bill_to_stale (self->org)
                                    ? _("Local edit, kept only in Partner Desk. Partner Center "
                                        "value as last read: %s")
                                    : _("Local edit, kept only in Partner Desk. Partner Center "
                                        "value: %s"), pc_text);
  pd_entry_row_set_note (fr->row, local_note);
  gtk_widget_set_visible (GTK_WIDGET (fr->revert_button), overridden);
}

void
pd_bill_to_editor_set_organization (PdBillToEditor *self,
                                    PdOrganization *org,
                                    PdCountryRules *rules,
                                    guint32         keep_fields)
{
  gboolean same;

  g_return_if_fail (PD_IS_BILL_TO_EDITOR (self));

  same = org != NULL && self->org != NULL
         && pd_organization_get_id (org) == pd_organization_get_id (self->org);
  if (!same)
    {
      self->edited_fields = 0;
      keep_fields = 0;
      g_free (self->registration_number);
      self->registration_number = org != NULL
                                    ? g_strdup (pd_organization_get_registration_number (org))
                                    : NULL;
    }
  else
    /* What was typed and is saved now shows as what is stored: a push or a revert that left
     * no override takes the local-edit card away. */
    self->edited_fields &= keep_fields;
  g_set_object (&self->org, org);
  g_set_object (&self->rules, rules);
  self->updating = TRUE;
  for (guint f = 0; f < PD_BILL_TO_N_FIELDS; f++)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->fields[f].row), org != NULL);
      if (org != NULL)
        show_field (self, f, (keep_fields & (1u << f)) != 0);
      else
        {
          gtk_editable_set_text (GTK_EDITABLE (self->fields[f].row), "");
          pd_entry_row_set_note (self->fields[f].row, NULL);
        }
    }
  self->updating = FALSE;
  update_read_card (self);
  update_warning (self);
  update_missing (self);
}

void
pd_bill_to_editor_set_role (PdBillToEditor *self,
                            gboolean        reseller,
                            gboolean        can_push)
{
  g_return_if_fail (PD_IS_BILL_TO_EDITOR (self));

  self->reseller = reseller;
  self->can_push = can_push;
  update_warning (self);
}

void
pd_bill_to_editor_set_registration_number (PdBillToEditor *self,
                                           const char     *number)
{
  g_return_if_fail (PD_IS_BILL_TO_EDITOR (self));

  if (g_strcmp0 (self->registration_number, number) == 0)
    return;
  g_free (self->registration_number);
  self->registration_number = g_strdup (number);
  update_missing (self);
}

const char *
pd_bill_to_editor_get_registration_problem (PdBillToEditor *self)
{
  g_return_val_if_fail (PD_IS_BILL_TO_EDITOR (self), NULL);

  return self->registration_problem;
}

PdBillTo *
pd_bill_to_editor_dup_values (PdBillToEditor *self)
{
  PdBillTo *values = pd_bill_to_new ();

  g_return_val_if_fail (PD_IS_BILL_TO_EDITOR (self), values);

  for (guint f = 0; f < PD_BILL_TO_N_FIELDS; f++)
    pd_bill_to_set (values, f, gtk_editable_get_text (GTK_EDITABLE (self->fields[f].row)));
  return values;
}

gboolean
pd_bill_to_editor_get_warning_visible (PdBillToEditor *self)
{
  g_return_val_if_fail (PD_IS_BILL_TO_EDITOR (self), FALSE);

  return gtk_widget_get_visible (self->warning_box);
}

char **
pd_bill_to_editor_dup_problem_fields (PdBillToEditor *self)
{
  g_return_val_if_fail (PD_IS_BILL_TO_EDITOR (self), NULL);

  return g_strdupv (self->problem_fields);
}

char *
pd_bill_to_editor_dup_change_request (PdBillToEditor *self)
{
  g_autoptr(PdBillTo) values = NULL;

  g_return_val_if_fail (PD_IS_BILL_TO_EDITOR (self), NULL);
  if (self->org == NULL)
    return NULL;
  values = pd_bill_to_editor_dup_values (self);
  return pd_bill_to_change_request_text (self->org, values);
}

static void
copy_change_request (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PdBillToEditor *self = PD_BILL_TO_EDITOR (widget);
  g_autofree char *request = pd_bill_to_editor_dup_change_request (self);

  if (request == NULL)
    return;
  pd_app_util_copy_text (widget, request);
  gtk_widget_activate_action (widget, "editor.show-toast", "s",
                              _("Change request copied: send it to your indirect provider"));
}

GtkWidget *
pd_bill_to_editor_get_row (PdBillToEditor *self,
                           PdBillToField   field)
{
  g_return_val_if_fail (PD_IS_BILL_TO_EDITOR (self), NULL);
  g_return_val_if_fail (field < PD_BILL_TO_N_FIELDS, NULL);

  return GTK_WIDGET (self->fields[field].row);
}

GtkWidget *
pd_bill_to_editor_get_revert_button (PdBillToEditor *self,
                                     PdBillToField   field)
{
  g_return_val_if_fail (PD_IS_BILL_TO_EDITOR (self), NULL);
  g_return_val_if_fail (field < PD_BILL_TO_N_FIELDS, NULL);

  return GTK_WIDGET (self->fields[field].revert_button);
}

static void
pd_bill_to_editor_dispose (GObject *object)
{
  PdBillToEditor *self = PD_BILL_TO_EDITOR (object);

  g_clear_object (&self->org);
  g_clear_object (&self->rules);
  g_clear_pointer (&self->problem_fields, g_strfreev);
  g_clear_pointer (&self->registration_number, g_free);
  g_clear_pointer (&self->registration_problem, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_BILL_TO_EDITOR);
  G_OBJECT_CLASS (pd_bill_to_editor_parent_class)->dispose (object);
}

static void
pd_bill_to_editor_class_init (PdBillToEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_bill_to_editor_dispose;

  signals[FIELD_CHANGED] = g_signal_new ("field-changed", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);

  pd_app_util_set_template (widget_class, "pd-bill-to-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, PdBillToEditor, read_box);
  gtk_widget_class_bind_template_child (widget_class, PdBillToEditor, read_title);
  gtk_widget_class_bind_template_child (widget_class, PdBillToEditor, read_label);
  gtk_widget_class_bind_template_child (widget_class, PdBillToEditor, warning_box);
  gtk_widget_class_bind_template_child (widget_class, PdBillToEditor, reseller_label);
  gtk_widget_class_bind_template_child (widget_class, PdBillToEditor, copy_request_button);
  gtk_widget_class_bind_template_child (widget_class, PdBillToEditor, push_button);
  gtk_widget_class_bind_template_child (widget_class, PdBillToEditor, contact_group);
  gtk_widget_class_bind_template_child (widget_class, PdBillToEditor, address_group);
  gtk_widget_class_bind_template_child (widget_class, PdBillToEditor, missing_list);

  gtk_widget_class_bind_template_callback (widget_class, on_missing_row_activated);
  gtk_widget_class_install_action (widget_class, "bill-to.copy-change-request", NULL,
                                   copy_change_request);
}

static void
pd_bill_to_editor_init (PdBillToEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  pd_app_util_fix_accessible_names (GTK_WIDGET (self));
  for (guint f = 0; f < PD_BILL_TO_N_FIELDS; f++)
    create_field_row (self, f);
  update_missing (self);
}

GtkWidget *
pd_bill_to_editor_new (void)
{
  return g_object_new (PD_TYPE_BILL_TO_EDITOR, NULL);
}
