#define _POSIX_C_SOURCE 200809L
#define _XOPEN_SOURCE 700 /* realpath */
/* Template loading. A template is applied key by key onto a style that
 * starts from built-in defaults (or from the template it extends), so a
 * custom template names only what differs. Every key is checked: unknown
 * keys and bad values are errors with the template's file and line. */
#include "style.h"
#include <pthread.h>
#include "utf8.h"
#include "xalloc.h"
#include "utf8.h"
#include "yamlnode.h"
#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MM 2.834645669
#define MAX_EXTENDS 8

struct len {
    double v;
    bool em;
};

struct loader {
    struct style *s;
    struct len indent[EL_COUNT], margin_left[EL_COUNT], margin_right[EL_COUNT];
    struct len pn_inset;
    bool set[EL_COUNT];      /* styled by a template file (any in the extends chain) */
    struct diag *d;
    int depth;
    char *chain[MAX_EXTENDS + 1]; /* files being loaded, to catch cycles */
};

static const char *const ROLE_NAMES[ROLE_COUNT] = {"song", "fangsong", "hei", "kai",
                                                   "biaosong", "latin", "mono"};
static const char *const ELEMENT_NAMES[EL_COUNT] = {
    "body", "title", "recipients", "h1", "h2", "h3", "h4", "quote", "list",
    "code", "table", "table_head", "caption", "footnote", "page_number", "indicator",
    "masthead", "doc_number", "subtitle", "signature", "note", "colophon", "header", "toc",
    "byline", "speaker", "salutation", "lead", "notes", "attachment"};

/* The labels' keys in a template's `labels:` map, and their defaults. */
static const char *const LABEL_KEYS[LABEL_COUNT] = {
    "issuer_mark", "briefing", "editor_note", "contents", "bao", "song", "fa", "cc", "copies",
    "printed", "footnote", "attachments", "summary_title", "summary_indicators", "summary_page",
    "chart_unit", "chart_source", "chart_total", "chart_target", "chart_no_rate", "chart_not_from_zero",
    "chart_rows_scaled", "overview_title", "overview_part", "compare_title", "unchanged", "points",
    "overview", "notes", "back", "index_title", "index_report", "index_pages", "index_department",
    "index_page_count", "index_indicators", "index_files", "index_failed", "index_no_indicators"};
static const char *const LABEL_DEFAULTS[LABEL_COUNT] = {
    "{issuer}文件", "简报", "编者按：", "目　录", "报：", "送：", "发：", "抄送：", "（共印{copies}份）",
    "{date}印发", "注{n}：", "附件：", "{department}重点工作摘编", "主要指标：", "见全文第{page}页",
    "单位：{unit}", "资料来源：{source}", "合计", "目标", "无法计算完成率", "（纵轴不从零开始）",
    "（各行按本行较大值缩放）", "主要指标一览", "（前{shown}项，共{total}项）", "{a}与{b}对比", "持平",
    "个百分点", "主要指标", "注释", "返回正文", "{report} · 部门摘编", "全文：", "（{pages}页）", "部门",
    "页数", "主要指标", "文件", "未生成（见运行日志）", "（未列主要指标）"};

const char *style_label(const struct style *s, enum label l)
{
    return s && s->labels[l] ? s->labels[l] : LABEL_DEFAULTS[l];
}

void style_labels_text(const struct style *s, struct buf *out)
{
    for (int l = 0; l < LABEL_COUNT; l++)
        buf_puts(out, style_label(s, (enum label)l));
}

const char *style_role_name(enum font_role r) { return ROLE_NAMES[r]; }
const char *style_element_name(enum element e) { return ELEMENT_NAMES[e]; }

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static char installed_dir[4200];

/* PREFIX/share/briefing beside an installed PREFIX/bin/briefing, wherever
 * the install went (cmake --install --prefix …); "" when there is none. */
static void find_installed_datadir(void)
{
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return;
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (!slash)
        return;
    *slash = 0; /* PREFIX/bin */
    char *bin = strrchr(exe, '/');
    if (!bin || strcmp(bin, "/bin"))
        return;
    *bin = 0;
    char probe[4200];
    snprintf(probe, sizeof probe, "%s/share/briefing/templates", exe);
    if (is_dir(probe))
        snprintf(installed_dir, sizeof installed_dir, "%s/share/briefing", exe);
}

const char *style_datadir(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    const char *env = getenv("BRIEFING_DATADIR");
    if (env && *env)
        return env;
    pthread_once(&once, find_installed_datadir);
    if (installed_dir[0])
        return installed_dir;
    if (is_dir(BRIEFING_SOURCE_DATADIR "/templates"))
        return BRIEFING_SOURCE_DATADIR;
    return BRIEFING_INSTALL_DATADIR;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **style_builtin_names(void)
{
    char *dir = xasprintf("%s/templates", style_datadir());
    DIR *dh = opendir(dir);
    free(dir);
    int n = 0;
    char **names = xcalloc(1, sizeof *names);
    struct dirent *e;
    while (dh && (e = readdir(dh))) {
        size_t l = strlen(e->d_name);
        if (l > 5 && strcmp(e->d_name + l - 5, ".yaml") == 0 && e->d_name[0] != '.') {
            names = xreallocarray(names, (size_t)n + 2, sizeof *names);
            names[n++] = xstrndup(e->d_name, l - 5);
            names[n] = NULL;
        }
    }
    if (dh)
        closedir(dh);
    qsort(names, (size_t)n, sizeof *names, cmp_str);
    return names;
}

void style_names_free(char **names)
{
    if (!names)
        return;
    for (char **p = names; *p; p++)
        free(*p);
    free(names);
}

static char **strv_new(const char *const *items)
{
    int n = 0;
    while (items[n])
        n++;
    char **v = xcalloc((size_t)n + 1, sizeof *v);
    for (int i = 0; i < n; i++)
        v[i] = xstrdup(items[i]);
    return v;
}

static void strv_free(char **v) { style_names_free(v); }

static void set_defaults(struct loader *L)
{
    struct style *s = L->s;
    s->page_w = 210 * MM, s->page_h = 297 * MM;
    s->margin_top = 37 * MM, s->margin_left = 28 * MM;
    s->margin_right = 26 * MM, s->margin_bottom = 35 * MM;
    s->grid_lines = 22, s->grid_chars = 28;
    static const char *const serif[] = {"Noto Serif CJK SC", NULL};
    static const char *const sans[] = {"Noto Sans CJK SC", NULL};
    static const char *const kai[] = {"LXGW WenKai", NULL};
    static const char *const bold[] = {"Noto Serif CJK SC Bold", NULL};
    static const char *const none[] = {NULL};
    static const char *const mono[] = {"Noto Sans Mono CJK SC", NULL};
    const char *const *defaults[ROLE_COUNT] = {serif, serif, sans, kai, bold, none, mono};
    for (int r = 0; r < ROLE_COUNT; r++)
        s->fonts[r] = strv_new(defaults[r]);
    s->strong = EMPH_HEI, s->emph = EMPH_KAI;
    s->chart_font = ROLE_HEI;
    s->masthead_rule = 1.0;
    s->text = (struct rgb){0, 0, 0};
    s->red = (struct rgb){0.9, 0, 0.07};
    s->rule = s->text, s->link = s->text, s->accent = s->red;
    static const unsigned chart[] = {0x1F4E79, 0xC00000, 0x7F7F7F, 0x2E75B6, 0xBF9000, 0x548235};
    s->nchart = 6;
    for (int i = 0; i < 6; i++)
        s->chart[i] = (struct rgb){((chart[i] >> 16) & 255) / 255.0, ((chart[i] >> 8) & 255) / 255.0,
                                   (chart[i] & 255) / 255.0};
    for (int e = 0; e < EL_COUNT; e++) {
        s->el[e] = (struct elem_style){.font = ROLE_FANGSONG, .size = 16, .lines = 1};
        L->indent[e] = L->margin_left[e] = L->margin_right[e] = (struct len){0, false};
    }

    L->indent[EL_BODY] = (struct len){2, true};
    s->page_number.format = xstrdup("— {page} —");
    s->page_number.below = 7 * MM;
    L->pn_inset = (struct len){1, true};
    s->page_number.position = PN_OUTSIDE;
}

static void err(struct loader *L, struct ydoc *y, yaml_node_t *n, const char *fmt, const char *a)
{
    char *msg = xasprintf(fmt, a);
    diag_add(L->d, DIAG_ERROR, y->file, yline(y, n), ycol(n), "template: %s", msg);
    free(msg);
}

static bool parse_len(struct loader *L, struct ydoc *y, yaml_node_t *n, struct len *out,
                      bool allow_em)
{
    const char *s = yscalar(n);
    char *end = NULL;
    double v = s ? strtod(s, &end) : NAN;
    if (!s || end == s || !isfinite(v) || v < -1000 || v > 5000) {
        err(L, y, n, "expected a length like 16pt, 37mm or 2em, got '%s'", s ? s : "(not text)");
        return false;
    }
    while (*end == ' ')
        end++;
    if (!*end || !strcmp(end, "pt"))
        *out = (struct len){v, false};
    else if (!strcmp(end, "mm"))
        *out = (struct len){v * MM, false};
    else if (!strcmp(end, "cm"))
        *out = (struct len){v * 10 * MM, false};
    else if (!strcmp(end, "in"))
        *out = (struct len){v * 72, false};
    else if (!strcmp(end, "em") && allow_em)
        *out = (struct len){v, true};
    else {
        err(L, y, n, "unknown unit in '%s' (use pt, mm, cm, in or em)", s);
        return false;
    }
    return true;
}

static bool parse_pt(struct loader *L, struct ydoc *y, yaml_node_t *n, double *out)
{
    struct len l;
    if (!parse_len(L, y, n, &l, false))
        return false;
    if (l.v <= 0) {
        err(L, y, n, "expected a positive length, got '%s'", yscalar(n));
        return false;
    }
    *out = l.v;
    return true;
}

static bool parse_num(struct loader *L, struct ydoc *y, yaml_node_t *n, double lo, double hi,
                      double *out)
{
    const char *s = yscalar(n);
    char *end = NULL;
    double v = s ? strtod(s, &end) : NAN;
    if (!s || end == s || *end || !(v >= lo && v <= hi)) {
        char *range = xasprintf("expected a number from %g to %g, got '%%s'", lo, hi);
        err(L, y, n, range, s ? s : "(not text)");
        free(range);
        return false;
    }
    *out = v;
    return true;
}

static bool parse_bool(struct loader *L, struct ydoc *y, yaml_node_t *n, bool *out)
{
    const char *s = yscalar(n);
    if (s && (!strcmp(s, "true") || !strcmp(s, "yes")))
        *out = true;
    else if (s && (!strcmp(s, "false") || !strcmp(s, "no")))
        *out = false;
    else {
        err(L, y, n, "expected true or false, got '%s'", s ? s : "(not text)");
        return false;
    }
    return true;
}

static bool parse_color(struct loader *L, struct ydoc *y, yaml_node_t *n, struct rgb *out)
{
    const char *s = yscalar(n);
    unsigned v;
    int len = 0;
    if (!s || s[0] != '#' || strlen(s) != 7 || sscanf(s + 1, "%6x%n", &v, &len) != 1 || len != 6) {
        err(L, y, n, "expected a colour like \"#E60012\", got '%s'", s ? s : "(not text)");
        return false;
    }
    *out = (struct rgb){((v >> 16) & 255) / 255.0, ((v >> 8) & 255) / 255.0, (v & 255) / 255.0};
    return true;
}

static int lookup(const char *s, const char *const *names, int n)
{
    for (int i = 0; s && i < n; i++)
        if (!strcmp(s, names[i]))
            return i;
    return -1;
}

static bool parse_enum(struct loader *L, struct ydoc *y, yaml_node_t *n, const char *const *names,
                       int count, int *out)
{
    int i = lookup(yscalar(n), names, count);
    if (i < 0) {
        char buf[256] = "";
        for (int k = 0; k < count; k++) {
            strncat(buf, names[k], sizeof buf - strlen(buf) - 3);
            if (k + 1 < count)
                strcat(buf, ", ");
        }
        char *msg = xasprintf("expected one of %s, got '%%s'", buf);
        err(L, y, n, msg, yscalar(n) ? yscalar(n) : "(not text)");
        free(msg);
        return false;
    }
    *out = i;
    return true;
}

static bool expect_map(struct loader *L, struct ydoc *y, yaml_node_t *n, const char *what)
{
    if (n && n->type == YAML_MAPPING_NODE)
        return true;
    err(L, y, n, "'%s' must be a map of keys", what);
    return false;
}

/* Pair *i of a map whose keys must be text; other keys (lists, maps) are
 * errors and skipped, so callers can compare keys as strings. */
static bool text_pair(struct loader *L, struct ydoc *y, yaml_node_t *map, int *i,
                      yaml_node_t **k, yaml_node_t **v)
{
    for (; ymap_pair(y, map, *i, k, v); (*i)++) {
        if (yscalar(*k))
            return true;
        err(L, y, *k, "keys must be text%s", "");
    }
    return false;
}

static void apply_page(struct loader *L, struct ydoc *y, yaml_node_t *map)
{
    struct style *s = L->s;
    yaml_node_t *k, *v;
    for (int i = 0; text_pair(L, y, map, &i, &k, &v); i++) {
        const char *key = yscalar(k);
        double *target = !strcmp(key, "width")           ? &s->page_w
                         : !strcmp(key, "height")        ? &s->page_h
                         : !strcmp(key, "margin_top")    ? &s->margin_top
                         : !strcmp(key, "margin_left")   ? &s->margin_left
                         : !strcmp(key, "margin_right")  ? &s->margin_right
                         : !strcmp(key, "margin_bottom") ? &s->margin_bottom
                                                         : NULL;
        if (target)
            parse_pt(L, y, v, target);
        else if (!strcmp(key, "duplex"))
            parse_bool(L, y, v, &s->duplex);
        else
            err(L, y, k, "unknown key 'page.%s'", key);
    }
}

static void apply_grid(struct loader *L, struct ydoc *y, yaml_node_t *map)
{
    yaml_node_t *k, *v;
    double n;
    for (int i = 0; text_pair(L, y, map, &i, &k, &v); i++) {
        const char *key = yscalar(k);
        if (!strcmp(key, "lines") && parse_num(L, y, v, 5, 200, &n))
            L->s->grid_lines = (int)n;
        else if (!strcmp(key, "chars") && parse_num(L, y, v, 0, 200, &n))
            L->s->grid_chars = (int)n;
        else if (strcmp(key, "lines") && strcmp(key, "chars"))
            err(L, y, k, "unknown key 'grid.%s'", key);
    }
}

static void apply_fonts(struct loader *L, struct ydoc *y, yaml_node_t *map)
{
    yaml_node_t *k, *v;
    for (int i = 0; text_pair(L, y, map, &i, &k, &v); i++) {
        int r = lookup(yscalar(k), ROLE_NAMES, ROLE_COUNT);
        if (r < 0) {
            err(L, y, k, "unknown font role '%s' (song, fangsong, hei, kai, biaosong, latin, mono)",
                yscalar(k));
            continue;
        }
        int n = yscalar(v) ? 1 : yseq_len(v);
        if (!yscalar(v) && (!v || v->type != YAML_SEQUENCE_NODE)) {
            err(L, y, v, "font role '%s' must be a list of family names", yscalar(k));
            continue;
        }
        char **list = xcalloc((size_t)n + 1, sizeof *list);
        for (int j = 0; j < n; j++) {
            const char *fam = yscalar(v) ? yscalar(v) : yscalar(yseq_item(y, v, j));
            if (!fam || !*fam) {
                err(L, y, v, "font role '%s': family names must be text", yscalar(k));
                fam = "";
            }
            list[j] = xstrdup(fam);
        }
        strv_free(L->s->fonts[r]);
        L->s->fonts[r] = list;
    }
}

static const char *const EMPH_NAMES[] = {"bold", "kai", "hei", "dots"};

static void apply_text(struct loader *L, struct ydoc *y, yaml_node_t *map)
{
    yaml_node_t *k, *v;
    int e;
    for (int i = 0; text_pair(L, y, map, &i, &k, &v); i++) {
        const char *key = yscalar(k);
        if (!strcmp(key, "cjk_latin_space"))
            parse_num(L, y, v, 0, 0.5, &L->s->cjk_latin_space);
        else if (!strcmp(key, "strong")) {
            if (parse_enum(L, y, v, EMPH_NAMES, 4, &e))
                L->s->strong = (enum emphasis)e;
        } else if (!strcmp(key, "emph")) {
            if (parse_enum(L, y, v, EMPH_NAMES, 4, &e))
                L->s->emph = (enum emphasis)e;
        } else
            err(L, y, k, "unknown key 'text.%s'", key);
    }
}

static void apply_palette(struct loader *L, struct ydoc *y, yaml_node_t *map)
{
    yaml_node_t *k, *v;
    struct style *s = L->s;
    for (int i = 0; text_pair(L, y, map, &i, &k, &v); i++) {
        const char *key = yscalar(k);
        struct rgb *target = !strcmp(key, "text")     ? &s->text
                             : !strcmp(key, "red")    ? &s->red
                             : !strcmp(key, "rule")   ? &s->rule
                             : !strcmp(key, "link")   ? &s->link
                             : !strcmp(key, "accent") ? &s->accent
                                                      : NULL;
        if (target)
            parse_color(L, y, v, target);
        else if (!strcmp(key, "chart") && v->type == YAML_SEQUENCE_NODE && yseq_len(v) > 0) {
            s->nchart = 0;
            for (int j = 0; j < yseq_len(v) && j < 8; j++)
                if (parse_color(L, y, yseq_item(y, v, j), &s->chart[s->nchart]))
                    s->nchart++;
            if (!s->nchart)
                s->nchart = 1;
        } else
            err(L, y, k, "unknown key 'palette.%s' (text, red, rule, link, accent, chart)", key);
    }
}

static const char *const ALIGN_NAMES[] = {"justify", "left", "center", "right"};

static void apply_element(struct loader *L, struct ydoc *y, int e, yaml_node_t *map)
{
    struct elem_style *es = &L->s->el[e];
    yaml_node_t *k, *v;
    int i2;
    for (int i = 0; text_pair(L, y, map, &i, &k, &v); i++) {
        const char *key = yscalar(k);
        if (!strcmp(key, "font")) {
            if (parse_enum(L, y, v, ROLE_NAMES, ROLE_COUNT, &i2))
                es->font = (enum font_role)i2;
        } else if (!strcmp(key, "size"))
            parse_pt(L, y, v, &es->size);
        else if (!strcmp(key, "bold"))
            parse_bool(L, y, v, &es->bold);
        else if (!strcmp(key, "align")) {
            if (parse_enum(L, y, v, ALIGN_NAMES, 4, &i2))
                es->align = (enum align)i2;
        } else if (!strcmp(key, "indent"))
            parse_len(L, y, v, &L->indent[e], true);
        else if (!strcmp(key, "margin_left"))
            parse_len(L, y, v, &L->margin_left[e], true);
        else if (!strcmp(key, "margin_right"))
            parse_len(L, y, v, &L->margin_right[e], true);
        else if (!strcmp(key, "lines"))
            parse_num(L, y, v, 0.5, 10, &es->lines);
        else if (!strcmp(key, "space_before"))
            parse_num(L, y, v, 0, 20, &es->space_before);
        else if (!strcmp(key, "space_after"))
            parse_num(L, y, v, 0, 20, &es->space_after);
        else if (!strcmp(key, "color")) {
            if (parse_color(L, y, v, &es->color))
                es->color_set = true;
        } else
            err(L, y, k, "unknown style key '%s' (font, size, bold, align, indent, margin_left, "
                         "margin_right, lines, space_before, space_after, color)", key);
    }
}

static void apply_styles(struct loader *L, struct ydoc *y, yaml_node_t *map)
{
    yaml_node_t *k, *v;
    for (int i = 0; text_pair(L, y, map, &i, &k, &v); i++) {
        int e = lookup(yscalar(k), ELEMENT_NAMES, EL_COUNT);
        if (e < 0)
            err(L, y, k, "unknown element '%s' in styles", yscalar(k));
        else if (expect_map(L, y, v, yscalar(k))) {
            apply_element(L, y, e, v);
            L->set[e] = true;
        }
    }
}

/* The {fields} a label may hold, or NULL for none. */
static const char *label_fields(int l)
{
    switch (l) {
    case LABEL_ISSUER_MARK: return "{issuer}";
    case LABEL_COPIES: return "{copies}";
    case LABEL_PRINTED: return "{date}";
    case LABEL_FOOTNOTE: return "{n}";
    case LABEL_SUMMARY_TITLE: return "{department}";
    case LABEL_SUMMARY_PAGE: return "{page}";
    case LABEL_CHART_UNIT: return "{unit}";
    case LABEL_CHART_SOURCE: return "{source}";
    case LABEL_OVERVIEW_PART: return "{shown}{total}";
    case LABEL_COMPARE_TITLE: return "{a}{b}";
    case LABEL_INDEX_TITLE: return "{report}";
    case LABEL_INDEX_PAGES: return "{pages}";
    default: return NULL;
    }
}

static bool label_fields_ok(int l, const char *text)
{
    const char *fields = label_fields(l);
    for (const char *p = strchr(text, '{'); p; p = strchr(p + 1, '{')) {
        const char *close = strchr(p, '}');
        bool known = false;
        for (const char *f = fields && close ? strchr(fields, '{') : NULL; f && !known; f = strchr(f + 1, '{'))
            known = !strncmp(f, p, (size_t)(close - p + 1));
        if (!known)
            return false;
    }
    return true;
}

char *style_fill(const char *label, ...)
{
    struct buf out = {0};
    for (const char *s = label; *s;) {
        const char *close = *s == '{' ? strchr(s, '}') : NULL;
        const char *value = NULL;
        if (close) {
            va_list ap;
            va_start(ap, label);
            for (const char *name; !value && (name = va_arg(ap, const char *));) {
                const char *v = va_arg(ap, const char *);
                if (strlen(name) == (size_t)(close - s - 1) && !strncmp(name, s + 1, strlen(name)))
                    value = v ? v : "";
            }
            va_end(ap);
        }
        if (value) {
            buf_puts(&out, value);
            s = close + 1;
        } else {
            buf_putc(&out, *s++);
        }
    }
    return buf_detach(&out);
}

static void apply_labels(struct loader *L, struct ydoc *y, yaml_node_t *map)
{
    yaml_node_t *k, *v;
    for (int i = 0; text_pair(L, y, map, &i, &k, &v); i++) {
        int l = lookup(yscalar(k), LABEL_KEYS, LABEL_COUNT);
        const char *text = yscalar(v);
        if (l < 0) {
            const char *near = NULL;
            for (int j = 0; j < LABEL_COUNT && !near; j++)
                if (utf8_edit_distance(yscalar(k), LABEL_KEYS[j]) <= 2)
                    near = LABEL_KEYS[j];
            struct buf keys = {0};
            for (int j = 0; j < LABEL_COUNT; j++)
                buf_printf(&keys, "%s%s", j ? ", " : "", LABEL_KEYS[j]);
            char *msg = near ? xasprintf("unknown label '%s': did you mean '%s'?", yscalar(k), near)
                             : xasprintf("unknown label '%s' (one of %s)", yscalar(k), keys.data);
            err(L, y, k, "%s", msg);
            free(msg);
            buf_free(&keys);
        } else if (!text) {
            err(L, y, v, "label '%s' must be text", yscalar(k));
        } else if (!label_fields_ok(l, text)) {
            const char *fields = label_fields(l);
            char *msg = xasprintf("label '%s' may only use the fields %s", yscalar(k),
                                  fields ? fields : "(none)");
            err(L, y, v, "%s", msg);
            free(msg);
        } else {
            free(L->s->labels[l]);
            L->s->labels[l] = xstrdup(text);
        }
    }
}

static const char *const PN_NAMES[] = {"outside", "center", "right", "none"};

static void apply_page_number(struct loader *L, struct ydoc *y, yaml_node_t *map)
{
    struct page_number_style *pn = &L->s->page_number;
    yaml_node_t *k, *v;
    int e;
    for (int i = 0; text_pair(L, y, map, &i, &k, &v); i++) {
        const char *key = yscalar(k);
        if (!strcmp(key, "format")) {
            if (!yscalar(v) || !strstr(yscalar(v), "{page}"))
                err(L, y, v, "page_number.format must contain {page}, got '%s'",
                    yscalar(v) ? yscalar(v) : "(not text)");
            else {
                free(pn->format);
                pn->format = xstrdup(yscalar(v));
            }
        } else if (!strcmp(key, "below"))
            parse_pt(L, y, v, &pn->below);
        else if (!strcmp(key, "inset"))
            parse_len(L, y, v, &L->pn_inset, true);
        else if (!strcmp(key, "position")) {
            if (parse_enum(L, y, v, PN_NAMES, 4, &e))
                pn->position = e;
        } else
            err(L, y, k, "unknown key 'page_number.%s'", key);
    }
}

static const char *const MASTHEAD_NAMES[] = {"none", "gongwen", "briefing", "cover"};
static const char *const COLOPHON_NAMES[] = {"none", "gongwen", "briefing"};

static void apply_masthead(struct loader *L, struct ydoc *y, yaml_node_t *map)
{
    yaml_node_t *k, *v;
    int e;
    for (int i = 0; text_pair(L, y, map, &i, &k, &v); i++) {
        const char *key = yscalar(k);
        if (!strcmp(key, "kind")) {
            if (parse_enum(L, y, v, MASTHEAD_NAMES, 4, &e))
                L->s->masthead = (enum masthead)e;
        } else if (!strcmp(key, "title")) {
            free(L->s->masthead_title);
            L->s->masthead_title = xstrdup(yscalar(v) ? yscalar(v) : "");
        } else if (!strcmp(key, "rule"))
            parse_pt(L, y, v, &L->s->masthead_rule);
        else
            err(L, y, k, "unknown key 'masthead.%s' (kind, title, rule)", key);
    }
}

static const char *const PDF_STANDARD_NAMES[] = {"none", "a-2b"};

enum pdf_standard style_pdf_standard(const char *name, const char **near)
{
    *near = NULL;
    for (int i = 0; i < PDF_STANDARD_COUNT; i++)
        if (!strcmp(name, PDF_STANDARD_NAMES[i]))
            return (enum pdf_standard)i;
    char *lower = xstrdup(name); /* "A-2B", "PDF/A-2b", "pdfa-2b" */
    for (char *c = lower; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    const char *bare = lower + (strncmp(lower, "pdf", 3) ? 0 : 3);
    bare += *bare == '/' || *bare == '-' || *bare == '_';
    size_t best = 3; /* further than two edits is no likely typo */
    for (int i = 0; i < PDF_STANDARD_COUNT; i++) {
        size_t dist = utf8_edit_distance(bare, PDF_STANDARD_NAMES[i]);
        if (dist < best)
            best = dist, *near = PDF_STANDARD_NAMES[i];
    }
    free(lower);
    return PDF_STANDARD_COUNT;
}

static void apply_pdf_standard(struct loader *L, struct ydoc *y, yaml_node_t *v)
{
    const char *s = yscalar(v), *near;
    enum pdf_standard std = s ? style_pdf_standard(s, &near) : PDF_STANDARD_COUNT;
    if (std != PDF_STANDARD_COUNT) {
        L->s->pdf_standard = std;
        return;
    }
    err(L, y, v, "unknown pdf_standard '%s' (none or a-2b)", s ? s : "(not text)");
    if (s && near) {
        char *hint = xasprintf("did you mean '%s'?", near);
        diag_set_hint(L->d, hint);
        free(hint);
    }
}

static bool load_file(struct loader *L, const char *path, const char *shown);

static char *builtin_path(const char *name)
{
    return xasprintf("%s/templates/%s.yaml", style_datadir(), name);
}

bool style_is_path(const char *s)
{
    size_t n = strlen(s);
    return strchr(s, '/') || (n > 5 && !strcmp(s + n - 5, ".yaml")) ||
           (n > 4 && !strcmp(s + n - 4, ".yml"));
}

char *style_name_from(const char *name, const char *file)
{
    const char *slash = file ? strrchr(file, '/') : NULL;
    if (!style_is_path(name) || name[0] == '/' || !slash)
        return xstrdup(name);
    return xasprintf("%.*s/%s", (int)(slash - file), file, name);
}

static void apply_root(struct loader *L, struct ydoc *y, yaml_node_t *root, const char *path)
{
    yaml_node_t *k, *v;
    yaml_node_t *ext = ymap_get(y, root, "extends");
    if (ext) {
        const char *parent = yscalar(ext);
        if (!parent || !*parent) {
            err(L, y, ext, "'extends' must name a template, got '%s'", "(not text)");
            return;
        }
        char *ppath = style_is_path(parent) ? style_name_from(parent, path) : builtin_path(parent);
        char *real = realpath(ppath, NULL); /* ./a.yaml and a.yaml are one file */
        bool cycle = false;
        for (int i = 0; i < L->depth; i++)
            cycle |= !strcmp(L->chain[i], real ? real : ppath);
        free(real);
        if (cycle) {
            err(L, y, ext, "'extends: %s' makes a cycle of templates", parent);
            free(ppath);
            return;
        }
        if (L->depth >= MAX_EXTENDS) {
            err(L, y, ext, "'extends: %s' nests templates too deeply", parent);
            free(ppath);
            return;
        }
        struct stat st;
        if (stat(ppath, &st) != 0)
            err(L, y, ext, "'extends: %s': no such template", parent);
        else if (!S_ISREG(st.st_mode)) /* a device or FIFO could be read forever */
            err(L, y, ext, "'extends: %s' is not a template file", parent);
        else
            load_file(L, ppath, style_is_path(parent) ? ppath : parent);
        free(ppath);
    }
    for (int i = 0; ymap_pair(y, root, i, &k, &v); i++) {
        const char *key = yscalar(k);
        if (!key)
            err(L, y, k, "keys must be text%s", "");
        else if (!strcmp(key, "extends"))
            continue;
        else if (!strcmp(key, "description")) {
            free(L->s->description);
            L->s->description = xstrdup(yscalar(v) ? yscalar(v) : "");
        } else if (!strcmp(key, "page") && expect_map(L, y, v, key))
            apply_page(L, y, v);
        else if (!strcmp(key, "grid") && expect_map(L, y, v, key))
            apply_grid(L, y, v);
        else if (!strcmp(key, "fonts") && expect_map(L, y, v, key))
            apply_fonts(L, y, v);
        else if (!strcmp(key, "text") && expect_map(L, y, v, key))
            apply_text(L, y, v);
        else if (!strcmp(key, "palette") && expect_map(L, y, v, key))
            apply_palette(L, y, v);
        else if (!strcmp(key, "styles") && expect_map(L, y, v, key))
            apply_styles(L, y, v);
        else if (!strcmp(key, "page_number") && expect_map(L, y, v, key))
            apply_page_number(L, y, v);
        else if (!strcmp(key, "labels") && expect_map(L, y, v, key))
            apply_labels(L, y, v);
        else if (!strcmp(key, "overview"))
            parse_bool(L, y, v, &L->s->overview);
        else if (!strcmp(key, "masthead") && expect_map(L, y, v, key))
            apply_masthead(L, y, v);
        else if (!strcmp(key, "colophon")) {
            int e;
            if (parse_enum(L, y, v, COLOPHON_NAMES, 3, &e))
                L->s->colophon = (enum colophon)e;
        } else if (!strcmp(key, "signature"))
            parse_bool(L, y, v, &L->s->signature);
        else if (!strcmp(key, "toc_depth")) {
            double n;
            if (parse_num(L, y, v, 0, 4, &n))
                L->s->toc_depth = (int)n;
        } else if (!strcmp(key, "running_header"))
            parse_bool(L, y, v, &L->s->running_header);
        else if (!strcmp(key, "number_headings"))
            parse_bool(L, y, v, &L->s->number_headings);
        else if (!strcmp(key, "pdf_standard"))
            apply_pdf_standard(L, y, v);
        else if (!strcmp(key, "chart_font")) {
            int r = 0;
            if (parse_enum(L, y, v, ROLE_NAMES, ROLE_COUNT, &r))
                L->s->chart_font = (enum font_role)r;
        }
        else if (strcmp(key, "page") && strcmp(key, "grid") && strcmp(key, "fonts") &&
                 strcmp(key, "text") && strcmp(key, "palette") && strcmp(key, "styles") &&
                 strcmp(key, "page_number") && strcmp(key, "overview") && strcmp(key, "chart_font") &&
                 strcmp(key, "masthead") && strcmp(key, "colophon") && strcmp(key, "signature") &&
                 strcmp(key, "toc_depth") && strcmp(key, "running_header") && strcmp(key, "labels") &&
                 strcmp(key, "number_headings") && strcmp(key, "pdf_standard"))
            err(L, y, k, "unknown key '%s'", key);
    }
}

static bool load_text(struct loader *L, const char *text, size_t len, const char *path,
                      const char *shown);

static bool load_file(struct loader *L, const char *path, const char *shown)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_add(L->d, DIAG_ERROR, shown, 0, 0, "cannot open template");
        return false;
    }
    char *text = NULL;
    size_t len = 0;
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        text = xrealloc(text, len + n);
        memcpy(text + len, chunk, n);
        len += n;
    }
    fclose(f);
    bool ok = load_text(L, text ? text : "", len, path, shown);
    free(text);
    return ok;
}

static bool load_text(struct loader *L, const char *text, size_t len, const char *path,
                      const char *shown)
{
    struct ydoc y;
    if (!ydoc_load(&y, text, len, shown, 0, L->d))
        return false;
    yaml_node_t *root = ydoc_root(&y);
    char *real = realpath(path, NULL);
    L->chain[L->depth++] = real ? real : xstrdup(path);
    if (root && root->type != YAML_MAPPING_NODE)
        err(L, &y, root, "a template must be a map of keys%s", "");
    else if (root)
        apply_root(L, &y, root, path);
    free(L->chain[--L->depth]);
    /* shown names must outlive the ydoc: diagnostics copied them already */
    ydoc_free(&y);
    return true;
}

/* The report's own parts follow the body unless a template styles them:
 * the subtitle and speaker lines centred in 楷体, the salutation flush
 * left a line below, lead lines and notes as body text, an attachment's
 * label in 黑体 flush left. */
static void derive_parts(struct loader *L)
{
    struct style *s = L->s;
    const struct elem_style *body = &s->el[EL_BODY];
    static const enum element parts[] = {EL_BYLINE, EL_SPEAKER, EL_SALUTATION, EL_LEAD,
                                         EL_NOTES, EL_ATTACHMENT};
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        enum element e = parts[i];
        if (L->set[e])
            continue;
        s->el[e] = *body;
        L->indent[e] = L->indent[EL_BODY];
        L->margin_left[e] = L->margin_left[EL_BODY];
        L->margin_right[e] = L->margin_right[EL_BODY];
        if (e == EL_LEAD || e == EL_NOTES)
            continue;
        L->indent[e] = (struct len){0, false};
        s->el[e].align = e == EL_BYLINE || e == EL_SPEAKER ? ALIGN_CENTER : ALIGN_LEFT;
        s->el[e].font = e == EL_ATTACHMENT ? ROLE_HEI : e == EL_SALUTATION ? body->font : ROLE_KAI;
        if (e == EL_SALUTATION) {
            s->el[e].align = body->align;
            s->el[e].space_before = 1;
        }
    }
}

static void resolve(struct loader *L)
{
    struct style *s = L->s;
    derive_parts(L);
    for (int e = 0; e < EL_COUNT; e++) {
        /* on the character grid an em is one character cell (size plus the
         * grid's tracking): 空两字 leaves 26 of 28 characters on a 公文 line */
        double em = s->el[e].size + style_grid_tracking(s, (enum element)e);
        s->el[e].indent = L->indent[e].em ? L->indent[e].v * em : L->indent[e].v;
        s->el[e].margin_left = L->margin_left[e].em ? L->margin_left[e].v * em : L->margin_left[e].v;
        s->el[e].margin_right =
            L->margin_right[e].em ? L->margin_right[e].v * em : L->margin_right[e].v;
    }
    s->page_number.inset = L->pn_inset.em ? L->pn_inset.v * s->el[EL_BODY].size : L->pn_inset.v;
}

static bool check_geometry(struct style *s, const char *file, struct diag *d)
{
    if (style_type_width(s) < 72 || style_type_height(s) < 72) {
        diag_add(d, DIAG_ERROR, file, 0, 0, "template: the margins leave less than 1 inch of type area");
        return false;
    }
    return true;
}

struct style *style_load(const char *name_or_path, struct diag *d)
{
    struct loader L = {.s = xcalloc(1, sizeof(struct style)), .d = d};
    set_defaults(&L);
    bool path = style_is_path(name_or_path);
    char *file = path ? xstrdup(name_or_path) : builtin_path(name_or_path);
    L.s->name = xstrdup(name_or_path);
    int errors = d->errors;
    struct stat st;
    if (stat(file, &st) != 0) {
        if (path) {
            diag_add(d, DIAG_ERROR, name_or_path, 0, 0, "cannot open template");
        } else {
            char **names = style_builtin_names();
            char list[512] = "";
            for (char **p = names; *p; p++) {
                strncat(list, *p, sizeof list - strlen(list) - 3);
                if (p[1])
                    strcat(list, ", ");
            }
            diag_add(d, DIAG_ERROR, NULL, 0, 0, "unknown template '%s' (built-in: %s)",
                     name_or_path, list);
            style_names_free(names);
        }
    } else if (!S_ISREG(st.st_mode)) {
        diag_add(d, DIAG_ERROR, name_or_path, 0, 0, "not a template file");
    } else {
        load_file(&L, file, path ? name_or_path : file);
        resolve(&L);
        check_geometry(L.s, file, d);
    }
    free(file);
    if (d->errors > errors) {
        style_free(L.s);
        return NULL;
    }
    return L.s;
}

struct style *style_parse_text(const char *text, size_t len, const char *name, struct diag *d)
{
    struct loader L = {.s = xcalloc(1, sizeof(struct style)), .d = d};
    set_defaults(&L);
    L.s->name = xstrdup(name);
    int errors = d->errors;
    load_text(&L, text, len, name, name);
    resolve(&L);
    check_geometry(L.s, name, d);
    if (d->errors > errors) {
        style_free(L.s);
        return NULL;
    }
    return L.s;
}

void style_free(struct style *s)
{
    if (!s)
        return;
    for (int r = 0; r < ROLE_COUNT; r++)
        strv_free(s->fonts[r]);
    free(s->page_number.format);
    free(s->masthead_title);
    for (int l = 0; l < LABEL_COUNT; l++)
        free(s->labels[l]);
    free(s->name);
    free(s->description);
    free(s);
}

double style_type_width(const struct style *s) { return s->page_w - s->margin_left - s->margin_right; }
double style_type_height(const struct style *s) { return s->page_h - s->margin_top - s->margin_bottom; }
double style_grid_tracking(const struct style *s, enum element el)
{
    const struct elem_style *es = &s->el[el];
    if (es->size != s->el[EL_BODY].size || s->grid_chars < 2)
        return 0;
    return (style_type_width(s) - s->grid_chars * es->size) / (s->grid_chars - 1);
}

double style_pitch(const struct style *s) { return style_type_height(s) / s->grid_lines; }
