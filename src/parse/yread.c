/* Reading YAML events with where they are (see yread.h). */
#include "parse/yread.h"

#include <string.h>

#include "util/xalloc.h"

diag_loc yread_at(const yread *y, yaml_mark_t m)
{
    return (diag_loc){y->file, y->line0 + (int)m.line, (int)m.column + 1};
}

bool yread_next(yread *y, yaml_event_t *ev)
{
    if (yaml_parser_parse(y->p, ev))
        return true;
    diag_error(y->dg, yread_at(y, y->p->problem_mark), "malformed %s: %s",
               y->what, y->p->problem ? y->p->problem : "YAML error");
    y->ok = false;
    return false;
}

bool yread_skip(yread *y, const yaml_event_t *start)
{
    if (start->type != YAML_SEQUENCE_START_EVENT &&
        start->type != YAML_MAPPING_START_EVENT)
        return true;
    for (int depth = 1; depth > 0;) {
        yaml_event_t ev;
        if (!yread_next(y, &ev))
            return false;
        if (ev.type == YAML_SEQUENCE_START_EVENT ||
            ev.type == YAML_MAPPING_START_EVENT)
            depth++;
        else if (ev.type == YAML_SEQUENCE_END_EVENT ||
                 ev.type == YAML_MAPPING_END_EVENT)
            depth--;
        yaml_event_delete(&ev);
    }
    return true;
}

char *yread_beside(const char *manuscript, const char *suffix)
{
    const char *slash = strrchr(manuscript, '/');
    const char *dot = strrchr(manuscript, '.');
    size_t n = dot && (!slash || dot > slash) ? (size_t)(dot - manuscript)
                                              : strlen(manuscript);
    return xasprintf("%.*s%s", (int)n, manuscript, suffix);
}
