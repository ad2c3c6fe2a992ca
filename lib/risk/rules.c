/* rules.c - the rule packs (data/rules/ *.json): loading, merging and validation.
 * A pack is {"pack","version","settings","lists","rules":[...]}; a rule's "when" is a tree
 * of conditions (docs/transactions.md). Every error names the file, the rule and the field. */
#include "risk.h"
#include "lists/reader.h"

#include <dirent.h>
#include <stdlib.h>

#define RULES_MAX_FILE ((size_t)8 << 20)
#define RULES_MAX_DEPTH 12
#define RULES_MAX_PACKS 64

typedef struct lctx {
    cordon_risk *r;
    cordon_error *err;
    const char *file, *rule;
    json_t *lists; /* merged named lists */
} lctx;

static cordon_status lerr(lctx *c, const char *what, const char *detail)
{
    return err_set(c->err, CORDON_ERR_PARSE, "%s: rule %s: %s%s%s", c->file,
                   c->rule ? c->rule : "-", what, detail ? ": " : "", detail ? detail : "");
}

typedef enum list_type { L_TEXT, L_COUNTRY, L_UPPER } list_type;

/* A list operand: an array of strings or "@name" of a named list. */
static cordon_status compile_list(lctx *c, const json_t *v, list_type lt, const char *op,
                                  strlist *out)
{
    if (json_is_string(v) && json_string_value(v)[0] == '@') {
        json_t *named = json_object_get(c->lists, json_string_value(v) + 1);
        if (!named)
            return lerr(c, op, "unknown list name (define it under \"lists\")");
        v = named;
    }
    if (!json_is_array(v) || json_array_size(v) == 0)
        return lerr(c, op, "expected a non-empty array of strings or \"@listname\"");
    out->n = 0;
    out->v = arena_alloc(c->r->arena, json_array_size(v) * sizeof *out->v);
    if (!out->v)
        return lerr(c, op, "out of memory");
    for (size_t i = 0; i < json_array_size(v); i++) {
        json_t *e = json_array_get(v, i);
        if (!json_is_string(e) || str_is_blank(json_string_value(e)))
            return lerr(c, op, "list entries must be non-empty strings");
        const char *s = json_string_value(e);
        const char *val = NULL;
        if (lt == L_COUNTRY) {
            val = country_code(s);
            if (!val) {
                char m[120];
                snprintf(m, sizeof m, "unknown country '%.60s'", s);
                return lerr(c, op, m);
            }
        } else if (lt == L_TEXT) {
            char *t = tx_normalise(c->r->arena, s);
            /* Hangul and other scripts do not space words alike: match those as substrings. */
            if (t && (unsigned char)t[1] >= 0x80) {
                t++;
                t[strlen(t) - 1] = 0;
            }
            val = t;
        } else {
            val = arena_strdup(c->r->arena, s);
        }
        if (!val)
            return lerr(c, op, "out of memory");
        out->v[out->n++] = val;
    }
    return CORDON_OK;
}

static cordon_status compile_roles(lctx *c, const json_t *v, const char *op, strlist *out)
{
    if (!v)
        return CORDON_OK;
    cordon_status st = compile_list(c, v, L_UPPER, op, out);
    for (size_t i = 0; !st && i < out->n; i++) {
        const char *role = tx_role_canonical(out->v[i]);
        if (!role) {
            char m[80];
            snprintf(m, sizeof m, "unknown role '%.40s'", out->v[i]);
            return lerr(c, op, m);
        }
        out->v[i] = role;
    }
    return st;
}

typedef enum scope { S_TX, S_PARTY, S_GOODS } scope;

static const struct opdef {
    const char *name;
    node_kind kind;
    scope sc;
    char arg; /* 'L' list of text, 'C' countries, 'U' plain strings, 'B' true, 'N' number,
                 'O' object, 'K' kids array, 'W' one condition */
} ops[] = {
    {"all", N_ALL, S_TX, 'K'},           {"any", N_ANY, S_TX, 'K'},
    {"not", N_NOT, S_TX, 'W'},           {"party", N_PARTY, S_TX, 'O'},
    {"goods", N_GOODS, S_TX, 'O'},       {"route", N_ROUTE, S_TX, 'O'},
    {"field", N_FIELD_IN, S_TX, 'O'},    {"type_in", N_TYPE_IN, S_TX, 'L'},
    {"role_in", P_ROLE_IN, S_PARTY, 'U'}, {"country_in", P_COUNTRY_IN, S_PARTY, 'C'},
    {"name_has", P_NAME_HAS, S_PARTY, 'L'}, {"address_has", P_ADDRESS_HAS, S_PARTY, 'L'},
    {"text_has", P_TEXT_HAS, S_PARTY, 'L'}, {"kind_in", P_KIND_IN, S_PARTY, 'L'},
    {"listed", P_LISTED, S_PARTY, 'O'},  {"iban_invalid", P_IBAN_INVALID, S_PARTY, 'B'},
    {"imo_invalid", P_IMO_INVALID, S_PARTY, 'B'}, {"imo_missing", P_IMO_MISSING, S_PARTY, 'B'},
    {"founded_within_days", P_FOUNDED_WITHIN, S_PARTY, 'N'},
    {"country_not_of_roles", P_COUNTRY_NOT_OF_ROLES, S_PARTY, 'U'},
    {"name_not_of_roles", P_NAME_NOT_OF_ROLES, S_PARTY, 'U'},
    {"hs_prefix_in", G_HS_PREFIX_IN, S_GOODS, 'U'}, {"controlled", G_CONTROLLED, S_GOODS, 'O'},
    {"prohibited", G_PROHIBITED, S_GOODS, 'O'}, {"hs_conflict", G_HS_CONFLICT, S_GOODS, 'B'},
    {"words_lt", G_WORDS_LT, S_GOODS, 'N'}, {"text_is", G_TEXT_IS, S_GOODS, 'L'},
    {"description_has", G_TEXT_HAS, S_GOODS, 'L'}, {"hs_missing", G_HS_MISSING, S_GOODS, 'B'},
};

static cordon_status compile_node(lctx *c, const json_t *v, scope sc, int depth, node **out);

static cordon_status compile_kids(lctx *c, const json_t *arr, scope sc, int depth, node *n,
                                  const char *op)
{
    if (!json_is_array(arr) || json_array_size(arr) == 0)
        return lerr(c, op, "expected a non-empty array of conditions");
    n->kids = arena_alloc(c->r->arena, json_array_size(arr) * sizeof *n->kids);
    if (!n->kids)
        return lerr(c, op, "out of memory");
    for (size_t i = 0; i < json_array_size(arr); i++) {
        cordon_status st = compile_node(c, json_array_get(arr, i), sc, depth + 1, &n->kids[i]);
        if (st)
            return st;
        n->n_kids++;
    }
    return CORDON_OK;
}

static cordon_status compile_scope(lctx *c, const json_t *arg, scope inner, int depth, node *n,
                                   const char *op)
{
    static const char *const allowed[] = {"roles", "where"};
    const char *key;
    json_t *val;
    json_object_foreach((json_t *)arg, key, val)
    {
        if (strcmp(key, allowed[0]) && strcmp(key, allowed[1]))
            return lerr(c, op, "only \"roles\" and \"where\" are allowed");
    }
    json_t *where = json_object_get(arg, "where");
    if (!where)
        return lerr(c, op, "missing \"where\"");
    if (inner == S_GOODS && json_object_get(arg, "roles"))
        return lerr(c, op, "goods take no roles");
    cordon_status st = compile_roles(c, json_object_get(arg, "roles"), op, &n->roles);
    if (st)
        return st;
    n->kids = arena_alloc(c->r->arena, sizeof *n->kids);
    if (!n->kids)
        return lerr(c, op, "out of memory");
    n->n_kids = 1;
    return compile_node(c, where, inner, depth + 1, &n->kids[0]);
}

static const char *const route_legs[] = {"origin", "loading", "discharge", "transit",
                                         "destination"};

static cordon_status compile_route(lctx *c, const json_t *arg, node *n)
{
    json_t *legs = json_object_get(arg, "legs");
    cordon_status st;
    if (legs) {
        if ((st = compile_list(c, legs, L_UPPER, "route.legs", &n->roles)))
            return st;
        for (size_t i = 0; i < n->roles.n; i++) {
            size_t k = 0;
            while (k < ARRAY_LEN(route_legs) && strcmp(route_legs[k], n->roles.v[i]))
                k++;
            if (k == ARRAY_LEN(route_legs))
                return lerr(c, "route.legs", "legs are origin, loading, discharge, transit, destination");
        }
    }
    json_t *in = json_object_get(arg, "in"), *ports = json_object_get(arg, "ports");
    if (!!in == !!ports)
        return lerr(c, "route", "give exactly one of \"in\" (countries) or \"ports\" (port names)");
    n->field = ports ? "ports" : "in";
    return compile_list(c, ports ? ports : in, ports ? L_TEXT : L_COUNTRY, "route", &n->list);
}

static const char *const tx_fields[] = {"payment.method", "payment.terms", "end_use", "notes",
                                        "type"};

static cordon_status compile_field(lctx *c, const json_t *arg, node *n)
{
    json_t *name = json_object_get(arg, "name");
    if (!json_is_string(name))
        return lerr(c, "field", "missing \"name\"");
    for (size_t i = 0; i < ARRAY_LEN(tx_fields); i++)
        if (strcmp(tx_fields[i], json_string_value(name)) == 0)
            n->field = tx_fields[i];
    if (!n->field)
        return lerr(c, "field.name", "one of payment.method, payment.terms, end_use, notes, type");
    json_t *has = json_object_get(arg, "has"), *missing = json_object_get(arg, "missing");
    if (!!has + !!missing != 1)
        return lerr(c, "field", "give exactly one of \"has\" (phrases) or \"missing\": true");
    if (missing) {
        if (!json_is_true(missing))
            return lerr(c, "field.missing", "must be true");
        n->kind = N_FIELD_MISSING;
        return CORDON_OK;
    }
    n->kind = N_FIELD_HAS;
    return compile_list(c, has, L_TEXT, "field.has", &n->list);
}

static cordon_status compile_object_op(lctx *c, node *n, const json_t *arg, int depth,
                                       const char *op)
{
    if (!json_is_object(arg))
        return lerr(c, op, "expected an object");
    switch (n->kind) {
    case N_PARTY:
        return compile_scope(c, arg, S_PARTY, depth, n, op);
    case N_GOODS:
        return compile_scope(c, arg, S_GOODS, depth, n, op);
    case N_ROUTE:
        return compile_route(c, arg, n);
    case N_FIELD_IN:
        return compile_field(c, arg, n);
    case P_LISTED:
    case G_CONTROLLED: {
        json_t *ms = json_object_get(arg, "min_score"), *rg = json_object_get(arg, "regimes");
        n->num = -1;
        if (ms) {
            if (!json_is_number(ms) || json_number_value(ms) < 0 || json_number_value(ms) > 1)
                return lerr(c, op, "min_score: a number from 0 to 1");
            n->num = json_number_value(ms);
        }
        return rg ? compile_list(c, rg, L_UPPER, op, &n->list) : CORDON_OK;
    }
    case G_PROHIBITED: {
        json_t *d = json_object_get(arg, "direction");
        const char *dir = d && json_is_string(d) ? json_string_value(d) : "any";
        if (strcmp(dir, "import") && strcmp(dir, "export") && strcmp(dir, "any"))
            return lerr(c, op, "direction: import, export or any");
        n->field = dir[0] == 'i' ? "import" : dir[0] == 'e' ? "export" : "any";
        n->num = json_is_true(json_object_get(arg, "verified_only"));
        return CORDON_OK;
    }
    default:
        return lerr(c, op, "internal: not an object operator");
    }
}

static cordon_status compile_node(lctx *c, const json_t *v, scope sc, int depth, node **out)
{
    if (depth > RULES_MAX_DEPTH)
        return lerr(c, "when", "conditions nested deeper than 12 levels");
    if (!json_is_object(v) || json_object_size(v) != 1)
        return lerr(c, "when", "each condition is an object with exactly one operator");
    const char *op = json_object_iter_key(json_object_iter((json_t *)v));
    const json_t *arg = json_object_iter_value(json_object_iter((json_t *)v));
    const struct opdef *d = NULL;
    for (size_t i = 0; i < ARRAY_LEN(ops); i++)
        if (strcmp(ops[i].name, op) == 0)
            d = &ops[i];
    if (!d)
        return lerr(c, "unknown operator", op);
    if (d->sc != S_TX && d->sc != sc)
        return lerr(c, op, d->sc == S_PARTY ? "only allowed inside party.where"
                                            : "only allowed inside goods.where");
    if ((d->kind == N_PARTY || d->kind == N_GOODS) && sc != S_TX)
        return lerr(c, op, "scopes do not nest");
    node *n = arena_alloc(c->r->arena, sizeof *n);
    if (!n)
        return lerr(c, op, "out of memory");
    n->kind = d->kind;
    *out = n;
    switch (d->arg) {
    case 'K':
        return compile_kids(c, arg, sc, depth, n, op);
    case 'W':
        n->kids = arena_alloc(c->r->arena, sizeof *n->kids);
        n->n_kids = 1;
        return n->kids ? compile_node(c, arg, sc, depth + 1, &n->kids[0]) : lerr(c, op, "out of memory");
    case 'O':
        return compile_object_op(c, n, arg, depth, op);
    case 'L':
        return compile_list(c, arg, L_TEXT, op, &n->list);
    case 'C':
        return compile_list(c, arg, L_COUNTRY, op, &n->list);
    case 'U':
        if (n->kind == P_ROLE_IN || n->kind == P_COUNTRY_NOT_OF_ROLES || n->kind == P_NAME_NOT_OF_ROLES)
            return compile_roles(c, arg, op, &n->list);
        return compile_list(c, arg, L_UPPER, op, &n->list);
    case 'B':
        return json_is_true(arg) ? CORDON_OK : lerr(c, op, "must be true (use \"not\" to negate)");
    case 'N':
        if (!json_is_number(arg) || json_number_value(arg) <= 0)
            return lerr(c, op, "expected a positive number");
        n->num = json_number_value(arg);
        return CORDON_OK;
    }
    return lerr(c, op, "internal: bad operator table");
}

static cordon_status rule_str(lctx *c, const json_t *o, const char *key, const char **out)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_string(v) || str_is_blank(json_string_value(v)))
        return lerr(c, key, "missing or empty (every rule needs id, severity, weight, explanation, citation, when)");
    *out = arena_strdup(c->r->arena, json_string_value(v));
    return *out ? CORDON_OK : lerr(c, key, "out of memory");
}

static cordon_status compile_rule(lctx *c, const json_t *o, const char *pack, rule *ru)
{
    memset(ru, 0, sizeof *ru);
    if (!json_is_object(o))
        return lerr(c, "rules", "each rule is an object");
    static const char *const keys[] = {"id", "severity", "weight", "explanation", "citation",
                                       "when", "disabled", "comment"};
    const char *key;
    json_t *val;
    json_object_foreach((json_t *)o, key, val)
    {
        size_t k = 0;
        while (k < ARRAY_LEN(keys) && strcmp(keys[k], key))
            k++;
        if (k == ARRAY_LEN(keys))
            return lerr(c, "unknown key", key);
    }
    cordon_status st = rule_str(c, o, "id", &ru->id);
    if (st)
        return st;
    c->rule = ru->id;
    ru->pack = pack;
    ru->file = c->file;
    ru->disabled = json_is_true(json_object_get(o, "disabled"));
    if (ru->disabled)
        return CORDON_OK; /* a stub that switches off an earlier rule of the same id */
    const char *sev;
    if ((st = rule_str(c, o, "severity", &sev)) || (st = rule_str(c, o, "explanation", &ru->explanation)) ||
        (st = rule_str(c, o, "citation", &ru->citation)))
        return st;
    if (strcmp(sev, "block") == 0)
        ru->sev = SEV_BLOCK;
    else if (strcmp(sev, "review") == 0)
        ru->sev = SEV_REVIEW;
    else if (strcmp(sev, "info") == 0)
        ru->sev = SEV_INFO;
    else
        return lerr(c, "severity", "one of block, review, info");
    json_t *w = json_object_get(o, "weight");
    if (!json_is_number(w) || json_number_value(w) < 0 || json_number_value(w) > 100)
        return lerr(c, "weight", "a number from 0 to 100");
    ru->weight = json_number_value(w);
    json_t *when = json_object_get(o, "when");
    if (!when)
        return lerr(c, "when", "missing");
    return compile_node(c, when, S_TX, 0, &ru->when);
}

static cordon_status read_settings(lctx *c, const json_t *s)
{
    if (!s)
        return CORDON_OK;
    if (!json_is_object(s))
        return lerr(c, "settings", "expected an object");
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)s, key, v)
    {
        double *slot = strcmp(key, "party_threshold") == 0   ? &c->r->set.party_threshold
                       : strcmp(key, "goods_threshold") == 0 ? &c->r->set.goods_threshold
                       : strcmp(key, "review_score") == 0    ? &c->r->set.review_score
                       : strcmp(key, "block_score") == 0     ? &c->r->set.block_score
                                                             : NULL;
        if (!slot)
            return lerr(c, "settings: unknown key", key);
        double max = strstr(key, "threshold") ? 1.0 : 100000.0;
        if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > max)
            return lerr(c, "settings", key);
        *slot = json_number_value(v);
    }
    return CORDON_OK;
}

typedef struct packfile {
    char *path;
    json_t *root;
} packfile;

static cordon_status load_pack_json(const char *path, json_t **out, cordon_error *err)
{
    char *text;
    size_t len;
    cordon_status st = file_read_all(path, RULES_MAX_FILE, &text, &len, err);
    if (st)
        return st;
    json_error_t je;
    *out = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    free(text);
    if (!*out)
        return err_set(err, CORDON_ERR_PARSE, "%s:%d: %s", path, je.line, je.text);
    if (!json_is_object(*out)) {
        json_decref(*out);
        return err_set(err, CORDON_ERR_PARSE, "%s:1: a rule pack is a JSON object", path);
    }
    return CORDON_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static cordon_status list_dir(const char *dir, packfile *files, size_t *n, cordon_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return err_set(err, CORDON_ERR_IO, "%s: cannot open the rules directory", dir);
    char *names[RULES_MAX_PACKS];
    size_t k = 0;
    struct dirent *de;
    while ((de = readdir(d)) && k < RULES_MAX_PACKS) {
        size_t len = strlen(de->d_name);
        if (len > 5 && strcmp(de->d_name + len - 5, ".json") == 0 && de->d_name[0] != '.')
            names[k++] = strdup(de->d_name);
    }
    closedir(d);
    qsort(names, k, sizeof *names, cmp_str);
    for (size_t i = 0; i < k; i++) {
        if (names[i] && asprintf(&files[*n].path, "%s/%s", dir, names[i]) > 0)
            (*n)++;
        free(names[i]);
    }
    return CORDON_OK;
}

static cordon_status merge_lists(lctx *c, const json_t *lists)
{
    if (!lists)
        return CORDON_OK;
    if (!json_is_object(lists))
        return lerr(c, "lists", "expected an object of named string arrays");
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)lists, key, v)
    {
        if (!json_is_array(v))
            return lerr(c, "lists", key);
        json_object_set(c->lists, key, v);
    }
    return CORDON_OK;
}

static cordon_status add_rule(cordon_risk *r, const rule *ru, size_t *cap)
{
    for (size_t i = 0; i < r->n_rules; i++)
        if (strcmp(r->rules[i].id, ru->id) == 0) {
            r->rules[i] = *ru; /* a later pack overrides */
            return CORDON_OK;
        }
    if (r->n_rules == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        rule *nr = xrealloc_array(r->rules, nc, sizeof *nr);
        if (!nr)
            return CORDON_ERR_NOMEM;
        r->rules = nr;
        *cap = nc;
    }
    r->rules[r->n_rules++] = *ru;
    return CORDON_OK;
}

static cordon_status compile_packs(cordon_risk *r, packfile *files, size_t n, cordon_error *err)
{
    lctx c = {.r = r, .err = err, .lists = json_object()};
    cordon_status st = CORDON_OK;
    size_t cap = 0;
    buf ver = {0};
    /* Settings and named lists first, so a later pack's list is what every rule sees. */
    for (size_t i = 0; i < n && !st; i++) {
        c.file = files[i].path;
        st = read_settings(&c, json_object_get(files[i].root, "settings"));
        if (!st)
            st = merge_lists(&c, json_object_get(files[i].root, "lists"));
    }
    for (size_t i = 0; i < n && !st; i++) {
        c.file = files[i].path;
        c.rule = NULL;
        json_t *root = files[i].root;
        static const char *const keys[] = {"pack", "version", "description", "settings", "lists",
                                           "rules", "comment"};
        const char *key;
        json_t *val;
        json_object_foreach(root, key, val)
        {
            size_t k = 0;
            while (k < ARRAY_LEN(keys) && strcmp(keys[k], key))
                k++;
            if (k == ARRAY_LEN(keys) && !st)
                st = lerr(&c, "unknown top-level key", key);
        }
        json_t *pack = json_object_get(root, "pack"), *version = json_object_get(root, "version");
        if (!st && (!json_is_string(pack) || !json_is_string(version)))
            st = lerr(&c, "pack", "a pack needs string \"pack\" and \"version\"");
        if (!st && !json_is_array(json_object_get(root, "rules")))
            st = lerr(&c, "rules", "expected an array");
        if (st)
            break;
        const char *pname = arena_strdup(r->arena, json_string_value(pack));
        buf_printf(&ver, "%s%s@%s", ver.len ? "+" : "", pname, json_string_value(version));
        json_t *rules = json_object_get(root, "rules");
        for (size_t k = 0; k < json_array_size(rules) && !st; k++) {
            rule ru;
            c.rule = NULL;
            st = compile_rule(&c, json_array_get(rules, k), pname, &ru);
            if (!st && add_rule(r, &ru, &cap))
                st = err_set(err, CORDON_ERR_NOMEM, "out of memory");
        }
        r->n_packs++;
    }
    /* disabled stubs are dropped after the merge */
    size_t w = 0;
    for (size_t i = 0; i < r->n_rules; i++)
        if (!r->rules[i].disabled)
            r->rules[w++] = r->rules[i];
    r->n_rules = w;
    if (!st && r->n_rules == 0)
        st = err_set(err, CORDON_ERR_PARSE, "%s: no rules", n ? files[0].path : "rules");
    snprintf(r->version, sizeof r->version, "%s", ver.data ? ver.data : "");
    buf_free(&ver);
    json_decref(c.lists);
    return st;
}

static cordon_status hash_packs(cordon_risk *r, packfile *files, size_t n, cordon_error *err)
{
    buf all = {0};
    for (size_t i = 0; i < n; i++) {
        char h[65];
        if (!sha256_file_hex(files[i].path, h, err)) {
            buf_free(&all);
            return err->status ? err->status : CORDON_ERR_IO;
        }
        buf_puts(&all, h);
    }
    char h[65];
    sha256_hex(all.data ? all.data : "", all.len, h);
    buf_free(&all);
    size_t len = strlen(r->version);
    snprintf(r->version + len, sizeof r->version - len, " sha256:%.16s", h);
    return CORDON_OK;
}

cordon_status risk_load_rules(cordon_risk *r, const char *dir, const char *const *extra,
                              size_t n_extra, cordon_error *err)
{
    r->set.party_threshold = 0.85;
    r->set.goods_threshold = CORDON_GOODS_DEFAULT_THRESHOLD;
    r->set.review_score = 30;
    r->set.block_score = 100;
    packfile files[RULES_MAX_PACKS * 2];
    size_t n = 0;
    cordon_status st = CORDON_OK;
    if (dir)
        st = list_dir(dir, files, &n, err);
    for (size_t i = 0; !st && i < n_extra && n < ARRAY_LEN(files); i++)
        if ((files[n].path = strdup(extra[i])))
            n++;
    for (size_t i = 0; i < n; i++)
        files[i].root = NULL;
    if (!st && n == 0)
        st = err_set(err, CORDON_ERR_NOTFOUND, "%s: no *.json rule packs", dir ? dir : "rules");
    for (size_t i = 0; !st && i < n; i++)
        st = load_pack_json(files[i].path, &files[i].root, err);
    if (!st)
        st = compile_packs(r, files, n, err);
    if (!st)
        st = hash_packs(r, files, n, err);
    for (size_t i = 0; i < n; i++) {
        json_decref(files[i].root);
        free(files[i].path);
    }
    return st;
}
