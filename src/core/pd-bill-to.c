/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-bill-to.c — the boxed bill-to struct, its field paths and labels. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pd-bill-to.h"

G_DEFINE_BOXED_TYPE (PdBillTo, pd_bill_to, pd_bill_to_copy, pd_bill_to_free)

/* Paths are the JSON keys of design.md §4 and the CLI's edit-bill-to keys: stable. */
static const char * const field_paths[PD_BILL_TO_N_FIELDS] = {
  [PD_BILL_TO_COMPANY_NAME]       = "companyName",
  [PD_BILL_TO_EMAIL]              = "email",
  [PD_BILL_TO_FIRST_NAME]         = "firstName",
  [PD_BILL_TO_LAST_NAME]          = "lastName",
  [PD_BILL_TO_CULTURE]            = "culture",
  [PD_BILL_TO_LANGUAGE]           = "language",
  [PD_BILL_TO_ADDRESS_LINE1]      = "address.addressLine1",
  [PD_BILL_TO_ADDRESS_LINE2]      = "address.addressLine2",
  [PD_BILL_TO_CITY]               = "address.city",
  [PD_BILL_TO_STATE]              = "address.state",
  [PD_BILL_TO_REGION]             = "address.region",
  [PD_BILL_TO_POSTAL_CODE]        = "address.postalCode",
  [PD_BILL_TO_COUNTRY]            = "address.country",
  [PD_BILL_TO_PHONE_NUMBER]       = "address.phoneNumber",
  [PD_BILL_TO_ADDRESS_FIRST_NAME] = "address.firstName",
  [PD_BILL_TO_ADDRESS_LAST_NAME]  = "address.lastName",
};

static const char * const field_labels[PD_BILL_TO_N_FIELDS] = {
  [PD_BILL_TO_COMPANY_NAME]       = N_("Company name"),
  [PD_BILL_TO_EMAIL]              = N_("E-mail"),
  [PD_BILL_TO_FIRST_NAME]         = N_("Contact first name"),
  [PD_BILL_TO_LAST_NAME]          = N_("Contact last name"),
  /* Translators: a bill-to field: the customer's culture (locale) in Partner Center, such as en-US */
  [PD_BILL_TO_CULTURE]            = N_("Culture"),
  /* Translators: a bill-to field: the customer's language in Partner Center, such as en */
  [PD_BILL_TO_LANGUAGE]           = N_("Language"),
  [PD_BILL_TO_ADDRESS_LINE1]      = N_("Address line 1"),
  [PD_BILL_TO_ADDRESS_LINE2]      = N_("Address line 2"),
  [PD_BILL_TO_CITY]               = N_("City"),
  /* Translators: a bill-to address field: state or province */
  [PD_BILL_TO_STATE]              = N_("State"),
  /* Translators: a bill-to address field: region (within a country) */
  [PD_BILL_TO_REGION]             = N_("Region"),
  [PD_BILL_TO_POSTAL_CODE]        = N_("Postal code"),
  [PD_BILL_TO_COUNTRY]            = N_("Country"),
  [PD_BILL_TO_PHONE_NUMBER]       = N_("Phone number"),
  /* Translators: a bill-to field: first name of the contact on the address */
  [PD_BILL_TO_ADDRESS_FIRST_NAME] = N_("Address first name"),
  [PD_BILL_TO_ADDRESS_LAST_NAME]  = N_("Address last name"),
};

PdBillTo *
pd_bill_to_new (void)
{
  return g_new0 (PdBillTo, 1);
}

PdBillTo *
pd_bill_to_copy (const PdBillTo *self)
{
  PdBillTo *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = pd_bill_to_new ();
  for (guint i = 0; i < PD_BILL_TO_N_FIELDS; i++)
    copy->values[i] = g_strdup (self->values[i]);
  return copy;
}

void
pd_bill_to_free (PdBillTo *self)
{
  if (self == NULL)
    return;
  for (guint i = 0; i < PD_BILL_TO_N_FIELDS; i++)
    g_free (self->values[i]);
  g_free (self);
}

const char *
pd_bill_to_get (const PdBillTo *self,
                PdBillToField   field)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail ((guint) field < PD_BILL_TO_N_FIELDS, NULL);
  return self->values[field];
}

void
pd_bill_to_set (PdBillTo      *self,
                PdBillToField  field,
                const char    *value)
{
  char *trimmed = NULL;

  g_return_if_fail (self != NULL);
  g_return_if_fail ((guint) field < PD_BILL_TO_N_FIELDS);

  /* Whitespace-only values would pass a "required" check while Partner Center rejects them. */
  if (value != NULL)
    {
      trimmed = g_strstrip (g_strdup (value));
      if (*trimmed == '\0')
        g_clear_pointer (&trimmed, g_free);
      /* ISO 3166 codes are upper case, and the country rules, names and filters look them up
       * so: a "de" that Partner Center sends (or a user types) names the same country. */
      else if (field == PD_BILL_TO_COUNTRY)
        for (char *p = trimmed; *p != '\0'; p++)
          *p = g_ascii_toupper (*p);
    }
  g_free (self->values[field]);
  self->values[field] = trimmed;
}

guint32
pd_bill_to_diff_mask (const PdBillTo *a,
                      const PdBillTo *b)
{
  guint32 mask = 0;

  for (guint i = 0; i < PD_BILL_TO_N_FIELDS; i++)
    {
      const char *va = a != NULL ? a->values[i] : NULL;
      const char *vb = b != NULL ? b->values[i] : NULL;

      if (g_strcmp0 (va, vb) != 0)
        mask |= 1u << i;
    }
  return mask;
}

gboolean
pd_bill_to_equal (const PdBillTo *a,
                  const PdBillTo *b)
{
  return pd_bill_to_diff_mask (a, b) == 0;
}

gboolean
pd_bill_to_is_empty (const PdBillTo *self)
{
  return pd_bill_to_diff_mask (self, NULL) == 0;
}

const char *
pd_bill_to_field_path (PdBillToField field)
{
  if ((guint) field >= PD_BILL_TO_N_FIELDS)
    return NULL;
  return field_paths[field];
}

gboolean
pd_bill_to_field_from_path (const char    *path,
                            PdBillToField *out_field)
{
  if (path == NULL)
    return FALSE;
  for (guint i = 0; i < PD_BILL_TO_N_FIELDS; i++)
    {
      if (strcmp (field_paths[i], path) == 0)
        {
          if (out_field != NULL)
            *out_field = (PdBillToField) i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
pd_bill_to_field_label (PdBillToField field)
{
  g_return_val_if_fail ((guint) field < PD_BILL_TO_N_FIELDS, NULL);
  return _(field_labels[field]);
}
