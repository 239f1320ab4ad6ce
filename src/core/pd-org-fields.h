/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-org-fields.h — the organization's own fields as one table: the key `set` and
 * pd_store_set_field take ("erp-id"), the path its history rows name ("erpId"), the label a
 * person reads, what kind of value it holds and how to read it from a PdOrganization as text.
 *
 * Bill-to fields have their own table (pd-bill-to.h).
 */
#pragma once

#include "pd-organization.h"

G_BEGIN_DECLS

typedef enum {
  /* Partner Desk's own fields, on every organization (the keys of `set`, in its order). */
  PD_ORG_FIELD_ERP_ID,
  PD_ORG_FIELD_REGISTRATION_NUMBER,
  PD_ORG_FIELD_SEGMENTS,
  PD_ORG_FIELD_CURRENCY,
  PD_ORG_FIELD_STATUS,
  PD_ORG_FIELD_LOGIN_OPTIONS,
  PD_ORG_FIELD_ACCOUNT_MANAGER,
  PD_ORG_FIELD_NOTES,
  /* Partner Center's fields: editable on manual organizations only. */
  PD_ORG_FIELD_NAME,
  PD_ORG_FIELD_DOMAIN,
  PD_ORG_FIELD_COUNTRY,
  PD_N_ORG_FIELDS
} PdOrgField;

#define PD_N_LOCAL_ORG_FIELDS (PD_ORG_FIELD_NOTES + 1)

typedef enum {
  PD_ORG_FIELD_KIND_TEXT,
  PD_ORG_FIELD_KIND_LIST,      /* comma-separated items */
  PD_ORG_FIELD_KIND_ENUM,      /* one of PdOrgStatus's names */
  PD_ORG_FIELD_KIND_CURRENCY,  /* ISO 4217 code */
  PD_ORG_FIELD_KIND_COUNTRY,   /* ISO 3166 code */
} PdOrgFieldKind;

typedef struct {
  const char     *key;    /* "erp-id" */
  const char     *path;   /* "erpId" */
  const char     *label;  /* untranslated: see pd_org_field_label */
  PdOrgFieldKind  kind;
} PdOrgFieldInfo;

gboolean              pd_org_field_from_key   (const char *key, PdOrgField *field);
gboolean              pd_org_field_from_path  (const char *path, PdOrgField *field);
/* (transfer none) */
const PdOrgFieldInfo *pd_org_field_get_info   (PdOrgField field);
/* Translated. (transfer none) */
const char           *pd_org_field_label      (PdOrgField field);
/* Partner Desk's own field, which any organization has (not only a manual one). */
gboolean        pd_org_field_is_local   (PdOrgField field);
/* The value as the store takes and the history records it: lists joined with ",", the
 * status by name; NULL when empty. (transfer full) (nullable) */
char           *pd_org_field_dup_value  (PdOrgField field, PdOrganization *org);
/* A list field's items as the store takes them: joined with ","; NULL when there are none.
 * (transfer full) (nullable) */
char           *pd_org_field_join_list  (const char * const *items);
/* The local fields' keys joined with separator (for messages). (transfer full) */
char           *pd_org_field_dup_local_keys (const char *separator);

G_END_DECLS
