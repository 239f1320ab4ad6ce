/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-organization-row-data.c — a list row with precomputed search and sort keys. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "core/pd-country-rules.h"
#include "pd-app-util.h"
#include "pd-collate.h"
#include "pd-organization-row-data.h"

struct _PdOrganizationRowData
{
  GObject         parent_instance;

  PdOrganization *org;
  /* " word word word": every word of the searchable fields, normalised, each preceded by one
   * space so that "prefix of a word" is a plain substring search for " prefix". */
  char           *haystack;
  char           *name_key;
  char           *sort_key;  /* pd_collate_key of the name */
  const char     *country;  /* interned: a few hundred codes for 100,000 rows */
  char          **local_fields;
  guint           filters;   /* bit per PdFilter the row belongs to */
};

G_DEFINE_FINAL_TYPE (PdOrganizationRowData, pd_organization_row_data, G_TYPE_OBJECT)

static void
pd_organization_row_data_finalize (GObject *object)
{
  PdOrganizationRowData *self = PD_ORGANIZATION_ROW_DATA (object);

  g_clear_object (&self->org);
  g_free (self->haystack);
  g_free (self->name_key);
  g_free (self->sort_key);
  g_strfreev (self->local_fields);

  G_OBJECT_CLASS (pd_organization_row_data_parent_class)->finalize (object);
}

static void
pd_organization_row_data_class_init (PdOrganizationRowDataClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_organization_row_data_finalize;
}

static void
pd_organization_row_data_init (PdOrganizationRowData *self)
{
}

static void
append_char (GString  *out,
             gunichar  c,
             gboolean *in_word)
{
  if (g_unichar_isalnum (c))
    {
      if (!*in_word)
        g_string_append_c (out, ' ');
      g_string_append_unichar (out, g_unichar_tolower (c));
      *in_word = TRUE;
    }
  else
    *in_word = FALSE;
}

/* Appends the words of text the way SQLite's unicode61 tokenizer sees them: runs of letters
 * and digits, case folded, accents removed. */
static void
append_words (GString    *out,
              const char *text)
{
  g_autofree char *decomposed = NULL;
  gboolean in_word = FALSE;
  gboolean ascii = TRUE;

  if (text == NULL)
    return;
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p >= 0x80)
      ascii = FALSE;
  if (ascii)
    {
      /* The common case, kept free of per-character function calls: 100,000 rows of five
       * fields each are indexed at every load. */
      for (const char *p = text; *p != '\0'; p++)
        {
          if (g_ascii_isalnum (*p))
            {
              if (!in_word)
                g_string_append_c (out, ' ');
              g_string_append_c (out, g_ascii_tolower (*p));
              in_word = TRUE;
            }
          else
            in_word = FALSE;
        }
      return;
    }
  decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_NFD);
  if (decomposed == NULL)
    return;
  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_ismark (c))
        append_char (out, c, &in_word);
    }
}

static guint
compute_filters (PdOrganization *org)
{
  guint bits = 1u << PD_FILTER_ALL;

  if (pd_organization_get_bill_to_state (org) == PD_BILL_TO_STATE_INCOMPLETE)
    bits |= 1u << PD_FILTER_INCOMPLETE;
  if (pd_organization_get_bill_to_unreadable (org))
    bits |= 1u << PD_FILTER_UNREADABLE;
  if (pd_organization_get_has_local_edits (org))
    bits |= 1u << PD_FILTER_LOCAL_EDITS;
  if (pd_organization_get_possible_duplicate (org))
    bits |= 1u << PD_FILTER_DUPLICATES;
  if (pd_organization_get_source (org) == PD_ORG_SOURCE_MANUAL)
    bits |= 1u << PD_FILTER_MANUAL;
  if (pd_organization_get_removed (org))
    bits |= 1u << PD_FILTER_REMOVED;
  if (pd_organization_get_account_status (org) == PD_ACCOUNT_STATUS_UNDER_REVIEW)
    bits |= 1u << PD_FILTER_UNDER_REVIEW;
  if (pd_organization_get_status (org) == PD_ORG_STATUS_NEW)
    bits |= 1u << PD_FILTER_NEW;
  return bits;
}

PdOrganizationRowData *
pd_organization_row_data_new (PdOrganization *org)
{
  PdOrganizationRowData *self;
  const PdBillTo *bill_to;
  GString *words;

  g_return_val_if_fail (PD_IS_ORGANIZATION (org), NULL);

  self = g_object_new (PD_TYPE_ORGANIZATION_ROW_DATA, NULL);
  self->org = g_object_ref (org);
  bill_to = pd_organization_get_bill_to (org);

  words = g_string_sized_new (96);
  append_words (words, pd_organization_get_name (org));
  self->name_key = g_strdup (words->str[0] == ' ' ? words->str + 1 : words->str);
  self->sort_key = pd_collate_key (pd_organization_get_name (org));
  append_words (words, pd_organization_get_domain (org));
  append_words (words, pd_organization_get_erp_id (org));
  append_words (words, pd_bill_to_get (bill_to, PD_BILL_TO_EMAIL));
  append_words (words, pd_bill_to_get (bill_to, PD_BILL_TO_CITY));
  append_words (words, pd_organization_get_notes (org));
  self->haystack = g_string_free (words, FALSE);
  self->filters = compute_filters (org);
  self->country = g_intern_string (pd_organization_get_country (org));
  /* Most rows have none: NULL then, not an empty vector per row. */
  self->local_fields = pd_organization_dup_local_bill_to_fields (org);
  if (self->local_fields != NULL && self->local_fields[0] == NULL)
    g_clear_pointer (&self->local_fields, g_strfreev);
  return self;
}

const char *
pd_organization_row_data_get_country (PdOrganizationRowData *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION_ROW_DATA (self), NULL);
  return self->country;
}

const char * const *
pd_organization_row_data_get_local_fields (PdOrganizationRowData *self)
{
  static const char * const none[] = { NULL };

  g_return_val_if_fail (PD_IS_ORGANIZATION_ROW_DATA (self), none);
  return self->local_fields != NULL ? (const char * const *) self->local_fields : none;
}

PdOrganization *
pd_organization_row_data_get_organization (PdOrganizationRowData *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION_ROW_DATA (self), NULL);
  return self->org;
}

gint64
pd_organization_row_data_get_id (PdOrganizationRowData *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION_ROW_DATA (self), 0);
  return pd_organization_get_id (self->org);
}

const char *
pd_organization_row_data_get_name_key (PdOrganizationRowData *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION_ROW_DATA (self), "");
  return self->name_key;
}

const char *
pd_organization_row_data_get_sort_key (PdOrganizationRowData *self)
{
  g_return_val_if_fail (PD_IS_ORGANIZATION_ROW_DATA (self), "");
  return self->sort_key;
}

int
pd_organization_row_data_compare (gconstpointer a,
                                  gconstpointer b)
{
  const PdOrganizationRowData *x = a, *y = b;
  int result = strcmp (x->sort_key, y->sort_key);
  gint64 ix, iy;

  if (result != 0)
    return result;
  ix = pd_organization_get_id (x->org);
  iy = pd_organization_get_id (y->org);
  return ix < iy ? -1 : ix > iy;
}

gboolean
pd_organization_row_data_in_filter (PdOrganizationRowData *self,
                                    PdFilter               filter)
{
  return (self->filters & (1u << filter)) != 0;
}

guint
pd_organization_row_data_get_filter_mask (PdOrganizationRowData *self)
{
  return self->filters;
}

gboolean
pd_organization_row_data_matches_words (PdOrganizationRowData *self,
                                        const char * const    *words)
{
  if (words == NULL)
    return TRUE;
  /* words are stored with their leading space (see split_query). */
  for (guint i = 0; words[i] != NULL; i++)
    if (strstr (self->haystack, words[i]) == NULL)
      return FALSE;
  return TRUE;
}

char **
pd_organization_row_data_split_query (const char *text)
{
  g_autoptr(GString) normalized = g_string_new (NULL);
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) parts = NULL;

  append_words (normalized, text);
  parts = g_strsplit (normalized->str, " ", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] == '\0')
        continue;
      /* Kept with the leading space: a match must start at a word boundary. */
      g_ptr_array_add (words, g_strconcat (" ", parts[i], NULL));
    }
  if (words->len == 0)
    return NULL;
  g_ptr_array_add (words, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&words), FALSE);
}

/* The searchable fields besides the name, in the order of the haystack. */
static const char *
field_value (PdOrganization *org,
             guint           field,
             const char    **out_label)
{
  const PdBillTo *bill_to = pd_organization_get_bill_to (org);

  switch (field)
    {
    case 0:
      *out_label = _("Domain");
      return pd_organization_get_domain (org);
    case 1:
      *out_label = _("ERP ID");
      return pd_organization_get_erp_id (org);
    case 2:
      *out_label = _("E-mail");
      return pd_bill_to_get (bill_to, PD_BILL_TO_EMAIL);
    case 3:
      *out_label = _("City");
      return pd_bill_to_get (bill_to, PD_BILL_TO_CITY);
    default:
      *out_label = _("Notes");
      return pd_organization_get_notes (org);
    }
}

#define N_SEARCH_FIELDS 5
#define REASON_MAX_CHARS 60

static gboolean
text_has_word (const char *text,
               const char *word)
{
  g_autoptr(GString) words = g_string_new (NULL);

  append_words (words, text);
  return strstr (words->str, word) != NULL;
}

/* "Label: value", the value cut to a line. */
static void
append_reason (GString    *reason,
               const char *label,
               const char *value)
{
  g_autofree char *line = g_strdelimit (g_strdup (value), "\r\n\t", ' ');
  g_autofree char *shown = NULL;

  if (g_utf8_strlen (line, -1) > REASON_MAX_CHARS)
    {
      g_autofree char *cut = g_utf8_substring (line, 0, REASON_MAX_CHARS);

      shown = g_strconcat (cut, "…", NULL);
    }
  if (reason->len > 0)
    g_string_append (reason, "; ");
  /* Translators: why a search found an organization: a field and its value, e.g.
   * "E-mail: billing@northwind.com" */
  g_string_append_printf (reason, _("%s: %s"), label, shown != NULL ? shown : line);
}

char *
pd_organization_row_data_dup_match_reason (PdOrganizationRowData *self,
                                           const char * const    *words)
{
  g_autoptr(GString) reason = g_string_new (NULL);
  gboolean used[N_SEARCH_FIELDS] = { FALSE };

  g_return_val_if_fail (PD_IS_ORGANIZATION_ROW_DATA (self), NULL);
  for (guint i = 0; words != NULL && words[i] != NULL; i++)
    {
      if (text_has_word (pd_organization_get_name (self->org), words[i]))
        continue;
      for (guint f = 0; f < N_SEARCH_FIELDS; f++)
        {
          const char *label;
          const char *value = field_value (self->org, f, &label);

          if (value == NULL || !text_has_word (value, words[i]))
            continue;
          if (!used[f])
            append_reason (reason, label, value);
          used[f] = TRUE;
          break;
        }
    }
  return reason->len > 0 ? g_string_free (g_steal_pointer (&reason), FALSE) : NULL;
}

static char *
dup_missing_text (PdOrganization *org)
{
  const char * const *missing = pd_organization_get_missing_fields (org);
  g_autoptr(GString) text = g_string_new (_("Bill-to incomplete. Missing: "));

  for (guint i = 0; missing != NULL && missing[i] != NULL; i++)
    {
      PdBillToField field;
      const char *label = missing[i];

      if (pd_missing_field_from_path (missing[i], &field))
        label = pd_missing_field_label (field);
      g_string_append_printf (text, i == 0 ? "%s" : ", %s", label);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

char *
pd_organization_row_data_dup_bill_to_text (PdOrganizationRowData *self)
{
  PdOrganization *org = pd_organization_row_data_get_organization (self);
  g_autofree char *read_text = pd_app_util_dup_bill_to_read_text (org);
  g_autofree char *state_text = NULL;

  switch (pd_organization_get_bill_to_state (org))
    {
    case PD_BILL_TO_STATE_UNREADABLE:
      return g_steal_pointer (&read_text);
    case PD_BILL_TO_STATE_INCOMPLETE:
      state_text = dup_missing_text (org);
      break;
    case PD_BILL_TO_STATE_COMPLETE:
    default:
      state_text = g_strdup (_("Bill-to complete"));
      break;
    }
  if (read_text == NULL)
    return g_steal_pointer (&state_text);
  return g_strdup_printf ("%s\n%s", state_text, read_text);
}

char *
pd_organization_row_data_dup_accessible_name (PdOrganizationRowData *self)
{
  PdOrganization *org = pd_organization_row_data_get_organization (self);
  const char *name = pd_organization_get_name (org);

  switch (pd_organization_get_bill_to_state (org))
    {
    case PD_BILL_TO_STATE_UNREADABLE:
      /* Translators: a row of the organization list as a screen reader reads it */
      return g_strdup_printf (_("%s, bill-to not readable"), name);
    case PD_BILL_TO_STATE_INCOMPLETE:
      /* Translators: a row of the organization list as a screen reader reads it */
      return g_strdup_printf (_("%s, bill-to incomplete"), name);
    case PD_BILL_TO_STATE_COMPLETE:
    default:
      /* Translators: a row of the organization list as a screen reader reads it */
      return g_strdup_printf (_("%s, bill-to complete"), name);
    }
}
