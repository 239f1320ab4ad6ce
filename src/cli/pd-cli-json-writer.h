/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-cli-json-writer.h — JSON written as it is built, in json-glib's pretty form.
 *
 * The calls are JsonBuilder's, but each one appends its text to a GString at once: a listing
 * of a million organizations builds no tree (json-glib's nodes and hash tables took four
 * fifths of `list --format json`). The text is what JsonGenerator writes with pretty = TRUE and
 * indent = 2, except that every character a terminal takes as a command (those
 * pd_cli_text_for_terminal replaces) is escaped as \uXXXX: the same data, safe to print.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _PdCliJsonWriter PdCliJsonWriter;

/* A writer that appends to out (not owned; it must outlive the writer). (transfer full) */
PdCliJsonWriter *pd_cli_json_writer_new               (GString         *out);
void             pd_cli_json_writer_free              (PdCliJsonWriter *writer);

/* A value is the root, an element of the array open last, or the value of the member named
 * last in the object open last. */
void             pd_cli_json_writer_begin_object      (PdCliJsonWriter *writer);
void             pd_cli_json_writer_end_object        (PdCliJsonWriter *writer);
void             pd_cli_json_writer_begin_array       (PdCliJsonWriter *writer);
void             pd_cli_json_writer_end_array         (PdCliJsonWriter *writer);
void             pd_cli_json_writer_set_member_name   (PdCliJsonWriter *writer,
                                                       const char      *name);
/* NULL writes null. */
void             pd_cli_json_writer_add_string_value  (PdCliJsonWriter *writer,
                                                       const char      *value);
void             pd_cli_json_writer_add_int_value     (PdCliJsonWriter *writer,
                                                       gint64           value);
void             pd_cli_json_writer_add_boolean_value (PdCliJsonWriter *writer,
                                                       gboolean         value);
void             pd_cli_json_writer_add_null_value    (PdCliJsonWriter *writer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdCliJsonWriter, pd_cli_json_writer_free)

G_END_DECLS
