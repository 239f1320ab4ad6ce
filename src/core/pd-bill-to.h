/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-bill-to.h — a customer's billing profile ("bill-to"), as Partner Center models it.
 *
 * A plain boxed struct: it is copied into and out of the store, compared during the
 * three-way merge, and shown in the editor. Every field is addressed by a PdBillToField and
 * has a stable path ("email", "address.city", …) that the CLI and the JSON output use.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  PD_BILL_TO_COMPANY_NAME,
  PD_BILL_TO_EMAIL,
  PD_BILL_TO_FIRST_NAME,
  PD_BILL_TO_LAST_NAME,
  PD_BILL_TO_CULTURE,
  PD_BILL_TO_LANGUAGE,
  PD_BILL_TO_ADDRESS_LINE1,
  PD_BILL_TO_ADDRESS_LINE2,
  PD_BILL_TO_CITY,
  PD_BILL_TO_STATE,
  PD_BILL_TO_REGION,
  PD_BILL_TO_POSTAL_CODE,
  PD_BILL_TO_COUNTRY,
  PD_BILL_TO_PHONE_NUMBER,
  PD_BILL_TO_ADDRESS_FIRST_NAME,
  PD_BILL_TO_ADDRESS_LAST_NAME,
  PD_BILL_TO_N_FIELDS
} PdBillToField;

#define PD_TYPE_BILL_TO (pd_bill_to_get_type ())

typedef struct _PdBillTo PdBillTo;

struct _PdBillTo
{
  /* Each value is NULL when unset; an empty string is normalised to NULL by the setter. */
  char *values[PD_BILL_TO_N_FIELDS];
};

GType        pd_bill_to_get_type          (void) G_GNUC_CONST;
/* (transfer full) */
PdBillTo    *pd_bill_to_new               (void);
/* (transfer full) */
PdBillTo    *pd_bill_to_copy              (const PdBillTo *self);
void         pd_bill_to_free              (PdBillTo       *self);

/* (transfer none) */
const char  *pd_bill_to_get               (const PdBillTo *self,
                                           PdBillToField   field);
/* Copies value; NULL or "" (after trimming) clears the field. The country is upper-cased. */
void         pd_bill_to_set               (PdBillTo       *self,
                                           PdBillToField   field,
                                           const char     *value);
gboolean     pd_bill_to_equal             (const PdBillTo *a,
                                           const PdBillTo *b);
gboolean     pd_bill_to_is_empty          (const PdBillTo *self);
/* Bit i set when field i differs between a and b (NULL counts as all-unset). */
guint32      pd_bill_to_diff_mask         (const PdBillTo *a,
                                           const PdBillTo *b);

/* "email", "address.city", … as in design.md §4; NULL for an invalid field.
 * (transfer none) (nullable) */
const char  *pd_bill_to_field_path        (PdBillToField   field);
/* Parses a path; returns FALSE when unknown. Case-sensitive, as the JSON keys. */
gboolean     pd_bill_to_field_from_path   (const char     *path,
                                           PdBillToField  *out_field);
/* A translated label for the editor and error messages ("Postal code"). (transfer none) */
const char  *pd_bill_to_field_label       (PdBillToField   field);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdBillTo, pd_bill_to_free)

G_END_DECLS
