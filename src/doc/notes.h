/* Footnotes become endnotes: the one pass that rewrites the tree. */
#ifndef KM_NOTES_H
#define KM_NOTES_H
#include "doc/doc.h"

/* Numbers the notes by first reference in reading order (the body, then
 * the notes themselves), gives every reference its note's number and its
 * occurrence (1 = first), counts the references of each note, and sorts
 * d->notes by number. Notes that nothing references are dropped. */
void notes_number(doc *d);

/* Moves each note mark written after a 。、．or ， before it, the
 * Japanese way of setting reference marks (合印: 遂げている1,2,3)。), in
 * the body and the notes alike; the style decides (notes.mark-position),
 * and both editions read the same tree. */
void notes_marks_before_punctuation(doc *d);

#endif
