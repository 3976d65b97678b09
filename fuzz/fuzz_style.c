/* libFuzzer: any bytes as a style file. Errors are fine; crashes, leaks
 * and a "valid" style that does not validate are not. A valid style then
 * sets a manuscript of every kind of block start to finish (layout, its
 * self-check, the PDF and the EPUB in memory): styles are user input
 * too. */
#define _GNU_SOURCE /* memfd_create, before any header */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fuzz/pipeline.h"
#include "parse/md.h"
#include "style/style.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static fonts *F;
static char mpath[4096];

static const char manuscript[] =
    "---\ntitle: 様式の試験：副題\ndate: 2025-10-20\nauthor: 著者\n"
    "rights: 無断転載を禁じます。\n---\n\n"
    "## 見出し\n\n本文の段落。{華為技術|ファーウェイ}は*強調*と**強い強調**、"
    "https://example.jp/a/b.pdf?x=1 と m<sup>2</sup>、^AI^ を含む。[^1]\n\n"
    "### 小見出し\n\n- 箇条一\n- 箇条二\n  1. 入れ子\n\n> 引用の段落。\n\n"
    "```\ncode line\n```\n\n表: 表の説明 {#tbl:t}\n\n| 企業 | 件数 |\n|---|--:|\n"
    "| 華為 | 9,450 |\n| 騰訊 | 1,234 |\n\n![図の説明](images/icon.png){#fig:f}\n\n"
    "[@fig:f]と[@tbl:t]を見よ。English words hyphenate in a justified line.\n\n"
    "## 参考資料\n\n1. 文献\n\n[^1]: 注の本文。\n";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    diag dg;
    diag_init(&dg);
    F = fonts_new(NULL, &dg);
    if (!F)
        abort();
    diag_free(&dg);
    snprintf(mpath, sizeof mpath, "%s/content/fuzz.md", fonts_data_dir());
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/km-fuzz-style-%d.yaml", (int)getpid());
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    style s;
    style_default(&s);
    diag dg;
    diag_init(&dg);
    bool ok = style_load(&s, path, &dg);
    if (ok && (dg.errors || !style_validate(&s, &dg)))
        abort();
    if (!ok && dg.errors == 0)
        abort();
    if (ok) {
        doc *d = parse_buffer(mpath, manuscript, strlen(manuscript), &dg);
        if (!d)
            abort();
        fz_set(d, &s, F, &dg);
        doc_free(d);
    }
    style_free(&s);
    diag_free(&dg);
    unlink(path);
    return 0;
}
