/* report_escape.c — how bytes from the outside (file names, dump strings already quoted by the checker) reach
 * each output format (see hd/report.h). One rule for all: valid UTF-8 stays readable, anything else becomes
 * the four characters \xNN, so no name can forge a line, break a JSON string or an XML document. */
#include "hd/report.h"

#include <string.h>

/* Length of the UTF-8 sequence at p (n bytes available): 1..4, or 0 if it is not well formed (overlong
 * forms, surrogates and code points past U+10FFFF included). */
static size_t utf8_len(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    size_t len;
    unsigned min, cp;

    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        len = 2, min = 0x80, cp = c & 0x1f;
    else if (c >= 0xe0 && c <= 0xef)
        len = 3, min = 0x800, cp = c & 0x0f;
    else if (c >= 0xf0 && c <= 0xf4)
        len = 4, min = 0x10000, cp = c & 0x07;
    else
        return 0;
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

void hd_escape_text(FILE *out, const void *s, size_t n)
{
    const unsigned char *p = s;
    for (size_t i = 0; i < n;) {
        size_t k = utf8_len(p + i, n - i);
        if (k == 1 && p[i] >= 0x20 && p[i] != 0x7f && p[i] != '\\')
            fputc(p[i], out);
        else if (k == 1 && p[i] == '\\')
            fputs("\\\\", out);
        else if (k > 1)
            fwrite(p + i, 1, k, out);
        else
            fprintf(out, "\\x%02x", p[i]);
        i += k > 0 ? k : 1;
    }
}

void hd_json_string(FILE *out, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    fputc('"', out);
    for (size_t i = 0; i < n;) {
        size_t k = utf8_len(p + i, n - i);
        if (k == 1 && (p[i] == '"' || p[i] == '\\'))
            fprintf(out, "\\%c", p[i]);
        else if (k == 1 && (p[i] < 0x20 || p[i] == 0x7f))
            fprintf(out, "\\u%04x", p[i]);
        else if (k >= 1)
            fwrite(p + i, 1, k, out);
        else
            fprintf(out, "\\\\x%02x", p[i]);    /* not UTF-8: the text \xNN */
        i += k > 0 ? k : 1;
    }
    fputc('"', out);
}

void hd_uri(FILE *out, const char *path)
{
    static const char unreserved[] = "-._~/";
    for (const unsigned char *p = (const unsigned char *)path; *p != 0; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr(unreserved, *p) != NULL)
            fputc(*p, out);
        else
            fprintf(out, "%%%02X", *p);
    }
}

void hd_xml_text(FILE *out, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t k = utf8_len(p + i, n - i);
        if (k == 1) {
            switch (p[i]) {
            case '<': fputs("&lt;", out); break;
            case '>': fputs("&gt;", out); break;
            case '&': fputs("&amp;", out); break;
            case '"': fputs("&quot;", out); break;
            case '\'': fputs("&apos;", out); break;
            default:
                if (p[i] < 0x20 || p[i] == 0x7f)   /* XML 1.0 cannot carry these at all */
                    fprintf(out, "\\x%02x", p[i]);
                else
                    fputc(p[i], out);
            }
        } else if (k > 1) {
            fwrite(p + i, 1, k, out);
        } else {
            fprintf(out, "\\x%02x", p[i]);
        }
        i += k > 0 ? k : 1;
    }
}
