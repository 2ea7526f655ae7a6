/* fuzz_generate.c — structure-aware: fuzzer bytes are the generator's decisions.
 *
 *   bytes ──► hd_entropy_bytes ──► hd_gen_configure (swarm draw) ──► model ──► hd_gen_write ──► dump
 *         ──► hd_validate_mem
 *
 * The generator promises that ANY byte string is a complete set of decisions and gives a dump without a
 * single diagnostic (hd/gen.h, hd/entropy.h) — apart from the architecture warnings of a configuration no Go
 * port ever had (hd_gen_config_clean() false). So every input must:
 *   - configure and write without error;
 *   - give exactly the same bytes when generated a second time from the same input (determinism);
 *   - validate with no diagnostic (or only warnings when the configuration is not "clean");
 *   - agree with the generator's own counts (bytes, records, records per tag).
 * When the first input byte is 0 mod 4 a defect is injected as well (its index drawn from the following
 * bytes): the dump must then break exactly the defect's rule and nothing else (validated with --go= the
 * defect's release when the table gives one). A defect that cannot apply to
 * the drawn configuration or dump (configure or write returns -1) is not a failure.
 *
 * Built only when the generator library exists (fuzz/CMakeLists.txt: HD_FUZZ_GEN_LIB). */
#include "fuzz_common.h"

#include "hd/encode.h"
#include "hd/entropy.h"
#include "hd/gen.h"

#define GEN_MAX_SIZE (64u * 1024u)   /* drawn dump sizes stay small: many executions per second */

static bool generate(const uint8_t *p, size_t n, int defect, hd_gen_config *cfg, hd_gen_stats *st, hd_membuf *m)
{
    static hd_out out;
    hd_gen_request q;
    hd_entropy e;

    hd_gen_request_init(&q);
    q.max_size = GEN_MAX_SIZE;
    q.defect = defect;
    hd_entropy_bytes(&e, p, n);
    memset(st, 0, sizeof *st);
    if (hd_gen_configure(&q, &e, cfg, st) < 0) {
        FZ_CHECK(defect >= 0, "hd_gen_configure refused a plain request: %s", st->error);
        return false;   /* the defect does not fit the drawn configuration */
    }
    hd_out_init_mem(&out, m);
    if (hd_gen_write(cfg, &e, &out, st) < 0) {
        /* with a defect, "no record of this dump can carry it" is a refusal, not a failure */
        FZ_CHECK(defect >= 0, "hd_gen_write failed on a plain request: %s", st->error);
        return false;
    }
    return true;
}

static void check_counts(const hd_gen_stats *st, const hd_membuf *m, const hd_result *res, const char *desc)
{
    FZ_CHECK(res->size == m->len, "[%s] validator read %llu of %zu bytes", desc, (unsigned long long)res->size, m->len);
    FZ_CHECK(st->records == res->records, "[%s] generator wrote %llu records, validator decoded %llu", desc,
             (unsigned long long)st->records, (unsigned long long)res->records);
    for (unsigned t = 0; t < HD_TAG_COUNT; t++)
        FZ_CHECK(st->count[t] == res->count[t], "[%s] %s records: generator %llu, validator %llu", desc, hd_tag_name(t),
                 (unsigned long long)st->count[t], (unsigned long long)res->count[t]);
}

static void show(const fz_diags *d)
{
    for (size_t i = 0; i < d->n && i < 20; i++)
        fprintf(stderr, "  0x%llx %s[%s] rec %lld: %s\n", (unsigned long long)d->d[i].offset,
                hd_severity_name(d->d[i].severity), hd_rule_get(d->d[i].rule)->id,
                d->d[i].record == HD_NO_RECORD ? -1LL : (long long)d->d[i].record, d->d[i].message);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *p = fz_copy(data, size);
    hd_gen_config cfg, cfg2;
    hd_gen_stats st, st2;
    hd_membuf m = {NULL, 0, 0}, m2 = {NULL, 0, 0};
    hd_options o;
    hd_result res;
    fz_diags d = {0};
    hd_diag_sink sink = fz_diags_sink(&d);
    int defect = -1;
    const uint8_t *ent = p;
    size_t nent = size;
    char desc[160];

    /* Mode byte: 0 mod 4 injects a defect chosen by the next two bytes. */
    if (size >= 3 && p[0] % 4 == 0 && hd_defect_count() > 0) {
        defect = (int)(((unsigned)p[1] | (unsigned)p[2] << 8) % hd_defect_count());
        ent = p + 3;
        nent = size - 3;
    }
    if (!generate(ent, nent, defect, &cfg, &st, &m))
        goto done;
    hd_gen_config_describe(&cfg, desc, sizeof desc);

    /* determinism: same bytes, same dump */
    FZ_CHECK(generate(ent, nent, defect, &cfg2, &st2, &m2), "[%s] second generation refused", desc);
    FZ_CHECK(m2.len == m.len && memcmp(m.p, m2.p, m.len) == 0, "[%s] two generations from the same input differ "
             "(%zu vs %zu bytes)", desc, m.len, m2.len);

    hd_options_init(&o);
    o.max_errors = 0;
    if (defect >= 0)
        o.go_version = hd_defect_get((unsigned)defect)->go;   /* a defect the dump alone cannot show (P105) */
    hd_validate_mem(m.p, m.len, &o, &sink, &res);
    FZ_CHECK(st.bytes == m.len, "[%s] generator says %llu bytes, wrote %zu", desc, (unsigned long long)st.bytes, m.len);
    if (defect < 0) {
        check_counts(&st, &m, &res, desc);
        bool clean = hd_gen_config_clean(&cfg);
        if (clean && d.total != 0) {
            show(&d);
            fz_fail("[%s] generated dump has %llu diagnostics", desc, (unsigned long long)d.total);
        }
        if (!clean && res.errors != 0) {
            show(&d);
            fz_fail("[%s] generated dump (unusual configuration) has %llu errors", desc, (unsigned long long)res.errors);
        }
    } else {
        const hd_defect_info *di = hd_defect_get((unsigned)defect);
        bool fired = false;
        FZ_CHECK(st.rule >= 0 && st.rule < HD_RULE_COUNT, "[%s] defect %s: no rule", desc, di->name);
        for (size_t i = 0; i < d.n; i++) {
            if (d.d[i].rule == (hd_rule)st.rule) {
                fired = true;
                continue;
            }
            if (!hd_gen_config_clean(&cfg) && d.d[i].severity != HD_SEV_ERROR)
                continue;       /* the architecture warnings of an unusual configuration */
            show(&d);
            fz_fail("[%s] defect %s (%s) also broke %s", desc, di->name, di->rule_id, hd_rule_get(d.d[i].rule)->id);
        }
        if (!fired) {
            show(&d);
            fz_fail("[%s] defect %s did not fire %s", desc, di->name, di->rule_id);
        }
    }
done:
    fz_diags_free(&d);
    free(m.p);
    free(m2.p);
    free(p);
    return 0;
}
