/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-org-fields.c — the table of an organization's own fields: keys, history paths, kinds
 * and values as text. */
#include "config.h"

#include "core/pd-org-fields.h"
#include "pd-test-util.h"

/* Every field's key and path lead back to it, and `set`'s keys are the local ones in order. */
static void
test_keys_and_paths (void)
{
  g_autofree char *keys = pd_org_field_dup_local_keys (", ");
  PdOrgField field;

  for (PdOrgField f = 0; f < PD_N_ORG_FIELDS; f++)
    {
      g_assert_true (pd_org_field_from_key (pd_org_field_get_info (f)->key, &field));
      g_assert_cmpint (field, ==, f);
      g_assert_true (pd_org_field_from_path (pd_org_field_get_info (f)->path, &field));
      g_assert_cmpint (field, ==, f);
      g_assert_nonnull (pd_org_field_label (f));
    }
  g_assert_cmpstr (keys, ==, "erp-id, registration-number, segments, currency, status, "
                             "login-options, account-manager, notes");
  g_assert_true (pd_org_field_from_path ("erpId", &field));
  g_assert_cmpint (field, ==, PD_ORG_FIELD_ERP_ID);
  g_assert_cmpstr (pd_org_field_label (PD_ORG_FIELD_CURRENCY), ==, "Preferred currency");
  g_assert_false (pd_org_field_from_key ("erpId", &field));
  g_assert_false (pd_org_field_from_key (NULL, &field));
  g_assert_false (pd_org_field_is_local (PD_ORG_FIELD_NAME));
  g_assert_true (pd_org_field_is_local (PD_ORG_FIELD_NOTES));
  g_assert_cmpint (pd_org_field_get_info (PD_ORG_FIELD_STATUS)->kind, ==,
                   PD_ORG_FIELD_KIND_ENUM);
  g_assert_cmpint (pd_org_field_get_info (PD_ORG_FIELD_LOGIN_OPTIONS)->kind, ==,
                   PD_ORG_FIELD_KIND_LIST);
}

/* Values as the history records them: lists joined, the status by name, empty as NULL. */
static void
test_values (void)
{
  g_autoptr(PdOrganization) org = pd_organization_new ();
  const char * const segments[] = { "smb", "retail", NULL };
  g_autofree char *joined = NULL;
  g_autofree char *status = NULL;
  g_autofree char *login = NULL;
  g_autofree char *erp = NULL;

  pd_organization_set_name (org, "Contoso");
  pd_organization_set_segments (org, segments);
  pd_organization_set_erp_id (org, "ERP-7");
  joined = pd_org_field_dup_value (PD_ORG_FIELD_SEGMENTS, org);
  status = pd_org_field_dup_value (PD_ORG_FIELD_STATUS, org);
  login = pd_org_field_dup_value (PD_ORG_FIELD_LOGIN_OPTIONS, org);
  erp = pd_org_field_dup_value (PD_ORG_FIELD_ERP_ID, org);
  g_assert_cmpstr (joined, ==, "smb,retail");
  g_assert_cmpstr (status, ==, "new");
  g_assert_null (login);
  g_assert_cmpstr (erp, ==, "ERP-7");
}

int
main (int   argc,
      char *argv[])
{
  pd_test_init (&argc, &argv);
  g_test_add_func ("/org-fields/keys-and-paths", test_keys_and_paths);
  g_test_add_func ("/org-fields/values", test_values);
  return g_test_run ();
}
