/* pending.c - TEMPORARY: definitions for readers whose file does not exist yet, so the tree
 * links while readers are written in parallel. Deleted once every reader exists. */
#include "reader.h"
#define PENDING(fn)                                                                            \
    cordon_status fn(const char *p, eb *b, cordon_source_meta *m, cordon_error *err)           \
    {                                                                                          \
        return err_set(err, CORDON_ERR_INVALID, "%s: reader not built yet", p);                \
    }
#if !__has_include("un_xml.c")
PENDING(read_un_xml)
#endif
#if !__has_include("ofac_csv.c")
PENDING(read_ofac_csv)
#endif
#if !__has_include("us_csl.c")
PENDING(read_us_csl)
#endif
#if !__has_include("bis_dpl.c")
PENDING(read_bis_dpl)
#endif
#if !__has_include("eu_fsf.c")
PENDING(read_eu_fsf)
#endif
#if !__has_include("uk_csv.c")
PENDING(read_uk_csv)
#endif
#if !__has_include("ftm_json.c")
PENDING(read_ftm_json)
#endif
#if !__has_include("user_csv.c")
PENDING(read_user_csv)
#endif
typedef int pending_translation_unit_not_empty;
