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

/* An export file: the columns of the export are id, tenant id, source, name, domain,
 * country, ERP ID, registration number, segments, currency, status, account manager, bill-to
 * fields, bill-to complete, missing fields, local bill-to fields, removed, reseller, last
 * synced, bill-to state and read. Column names are the stable JSON keys ("tenantId",
 * "billTo.address.city", …); lists are joined with "; ". Written as organizations are added
 * (readable by the user only); an existing file is replaced only at pd_csv_file_commit: until
 * then, and after a failure, it stays as it was. */
typedef struct _PdCsvFile PdCsvFile;

/* Opens the export and writes its header; NULL with error when file cannot be written. Adding
 * stops once cancellable (may be NULL) is cancelled. Commit or abandon it. (transfer full) */
PdCsvFile *pd_csv_file_create  (GFile          *file,
                                GCancellable   *cancellable,
                                GError        **error);
/* Adds one organization (a PdStoreForeachFunc, csv_file the PdCsvFile): FALSE, to stop, once
 * a write failed or the export was cancelled; pd_csv_file_commit then says why. */
gboolean   pd_csv_file_add     (PdOrganization *org,
                                gpointer        csv_file);
/* Puts the file in place with every organization added, and frees csv_file. FALSE with error
 * when an addition or the last write failed, or the export was cancelled: the previous file
 * stays (a new one is removed). *out_n_rows (may be NULL) receives the number of rows. */
gboolean   pd_csv_file_commit  (PdCsvFile      *csv_file,
                                guint          *out_n_rows,
                                GError        **error);
/* Drops what was written (the previous file stays, a new one is removed) and frees
 * csv_file: when reading what to add failed. */
void       pd_csv_file_abandon (PdCsvFile      *csv_file);

/* The export's header line, and one organization's line: for writing it a row at a time. */
void      pd_csv_append_header        (GString        *out);
void      pd_csv_append_organization  (GString        *out,
                                       PdOrganization *org);

G_END_DECLS
