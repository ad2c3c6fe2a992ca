/* ofac_remarks.h - the OFAC remarks parser, shared by the OFAC CSV reader, its tests and its
 * fuzz target. Internal to lib/lists. */
#ifndef CORDON_OFAC_REMARKS_H
#define CORDON_OFAC_REMARKS_H

#include "reader.h"

/* Splits an OFAC remarks text ("DOB 12 Jan 1960; POB Pyongyang; Passport 123 (Korea, North).")
 * into its "; "-separated pieces and turns each piece it recognises into a field of the entity
 * being built in b (dates and places of birth, nationality, gender, identifiers, a.k.a. names,
 * linked parties, regimes). Every piece that is not wholly turned into fields - unknown
 * wording, or an identifier with an "issued ..." tail - is appended to the entity's remarks
 * verbatim, so no text is lost. Call between eb_begin and eb_commit; uses eb_type(b) to split
 * the names of individuals. */
void ofac_remarks_parse(eb *b, const char *remarks);

/* Adds a name as OFAC writes it: for individuals "LAST, First Middle" gives family "LAST"
 * and given "First Middle"; other names are kept whole. */
void ofac_add_name(eb *b, cordon_name_kind kind, const char *full, size_t len);

#endif
