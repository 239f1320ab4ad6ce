/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-csv.h — RFC 4180 CSV writing, safe for spreadsheets.
 *
 * Cells that start with '=', '+', '-' or '@' (also after leading whitespace, and tab / CR)
 * are prefixed with a single quote so that a spreadsheet never evaluates them as formulas.
 */
#pragma once

#include <gio/gio.h>

#include "pd-organization.h"

G_BEGIN_DECLS

/* Writes the organizations (a GPtrArray of PdOrganization) with the columns of
 * the export: id, tenant id, source, name, domain, country, ERP ID, registration number,
 * segments, currency, status, account manager, bill-to fields, bill-to complete, missing
 * fields, local bill-to fields, removed, reseller, last synced. Column names are the stable
 * JSON keys ("tenantId", "billTo.address.city", …); lists are joined with "; ". Atomic:
 * written to a temporary file then renamed; the file is created readable by the user only. */
gboolean  pd_csv_export_organizations (GPtrArray  *organizations,
                                       GFile      *file,
                                       GError    **error);

/* The export's header line, and one organization's line: for writing it a row at a time. */
void      pd_csv_append_header        (GString        *out);
void      pd_csv_append_organization  (GString        *out,
                                       PdOrganization *org);

G_END_DECLS
