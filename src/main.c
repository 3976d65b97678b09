/* kumihan: the CLI. Options, --help/--version, printing diagnostics and
 * choosing the exit code; the work is in pipeline.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pipeline.h"
#include "util/heap.h"

static const char usage[] =
    "usage: kumihan COMMAND [options] INPUT.md\n"
    "\n"
    "Typesets a Markdown manuscript as a print PDF and an EPUB 3.\n"
    "\n"
    "commands:\n"
    "  check   report problems in the manuscript (file:line:col: ...)\n"
    "  dump    print the document tree (--lines: the composed lines)\n"
    "  pdf     write the print handout (default out/NAME.pdf)\n"
    "  epub    write the e-reader edition (default out/NAME.epub)\n"
    "\n"
    "options:\n"
    "  -o, --output FILE   where to write (pdf, epub)\n"
    "  -s, --style FILE    style file (default styles/handout.yaml)\n"
    "      --epub FILE     with pdf: also write the EPUB to FILE, from the\n"
    "                      same layout (what make pdf epub runs)\n"
    "      --depfile FILE  with pdf, epub: also write make's dependencies\n"
    "                      (the manuscript, style and images), as gcc -MD\n"
    "      --editions      with pdf, epub: one copy per recipient (front\n"
    "                      matter 'editions:' or NAME.editions.yaml) in\n"
    "                      out/editions/NAME-ID.pdf|epub (-o: the directory)\n"
    "      --edition ID    with pdf, epub: that recipient's copy only (-o: the\n"
    "                      file)\n"
    "      --sign FILE     with pdf: sign each PDF (PAdES) with the key and\n"
    "                      certificate of FILE (.p12), its passphrase in the\n"
    "                      environment's KUMIHAN_SIGN_PASS; with epub: a\n"
    "                      detached signature beside it (NAME.epub.p7s)\n"
    "      --lines         with dump: the broken lines with their spacing\n"
    "      --werror        with check: treat warnings as errors\n"
    "      --timings       print the time each stage takes\n"
    "  -q, --quiet         no summary line\n"
    "  -h, --help          show this help\n"
    "      --version       show the version\n"
    "\n"
    "exit status: 0 success, 1 errors in the input, 2 usage or I/O trouble,\n"
    "3 an internal error (a bug in kumihan: please report it)\n";

static int bad_usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "kumihan: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'kumihan --help'.\n");
    return 2;
}

int main(int argc, char **argv)
{
    pipeline_opts o = {0};
    const char *cmd = NULL;
    bool werror = false, lines = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if (strcmp(a, "--version") == 0) {
            puts("kumihan " KM_VERSION);
            return 0;
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0 ||
                   strcmp(a, "-s") == 0 || strcmp(a, "--style") == 0 ||
                   strcmp(a, "--depfile") == 0 || strcmp(a, "--sign") == 0 ||
                   strcmp(a, "--epub") == 0) {
            if (i + 1 >= argc)
                return bad_usage("option '%s' needs a file name", a);
            if (strcmp(a, "--depfile") == 0)
                o.depfile = argv[++i];
            else if (strcmp(a, "--sign") == 0)
                o.sign = argv[++i];
            else if (strcmp(a, "--epub") == 0)
                o.epub = argv[++i];
            else if (a[1] == 'o' || a[2] == 'o')
                o.output = argv[++i];
            else
                o.style = argv[++i];
        } else if (strcmp(a, "--editions") == 0) {
            o.editions = true;
        } else if (strcmp(a, "--edition") == 0) {
            if (i + 1 >= argc)
                return bad_usage("option '%s' needs an edition's id", a);
            o.edition = argv[++i];
        } else if (strcmp(a, "--werror") == 0) {
            werror = true;
        } else if (strcmp(a, "--lines") == 0) {
            lines = true;
        } else if (strcmp(a, "--timings") == 0) {
            o.timings = true;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            o.quiet = true;
        } else if (a[0] == '-' && a[1]) {
            return bad_usage("unknown option '%s'", a);
        } else if (!cmd) {
            cmd = a;
        } else if (!o.input) {
            o.input = a;
        } else {
            return bad_usage("unexpected argument '%s'", a);
        }
    }
    if (!cmd)
        return bad_usage("%s", "no command given");
    if (strcmp(cmd, "check") == 0)
        o.cmd = CMD_CHECK;
    else if (strcmp(cmd, "dump") == 0)
        o.cmd = lines ? CMD_LINES : CMD_DUMP;
    else if (strcmp(cmd, "pdf") == 0)
        o.cmd = CMD_PDF;
    else if (strcmp(cmd, "epub") == 0)
        o.cmd = CMD_EPUB;
    else
        return bad_usage("unknown command '%s'", cmd);
    if (!o.input)
        return bad_usage("%s", "no input file given");
    if ((o.editions || o.edition) && o.cmd != CMD_PDF && o.cmd != CMD_EPUB)
        return bad_usage("%s", "--editions and --edition go with pdf and epub");
    if (o.epub && (o.cmd != CMD_PDF || o.editions || o.edition))
        return bad_usage("%s", "--epub goes with pdf, without --editions and "
                         "--edition");
    if (o.sign && o.cmd != CMD_PDF && o.cmd != CMD_EPUB)
        return bad_usage("%s", "--sign goes with pdf and epub");
    struct stat sb;
    heap_tune(stat(o.input, &sb) == 0 && sb.st_size > 0 ? (size_t)sb.st_size : 0);

    diag dg;
    diag_init(&dg);
    buf out = {0};
    pipeline_status rc = pipeline_run(&o, &dg, &out);
    diag_print(&dg, stderr);
    if (out.len)
        fwrite(out.data, 1, out.len, stdout);
    if (rc == PIPE_OK && diag_failed(&dg, werror && o.cmd == CMD_CHECK))
        rc = PIPE_INPUT;
    if (fflush(stdout) != 0 && rc == PIPE_OK)
        rc = PIPE_IO;
    buf_free(&out);
    diag_free(&dg);
    return (int)rc;
}
