/* The allocator tuned for a short batch run: memory is kept and grown in
 * large steps instead of being handed back and faulted in page by page. */
#ifndef KM_HEAP_H
#define KM_HEAP_H
#include <stddef.h>

/* Call once, before other threads exist, with the manuscript's size in
 * bytes (0 if unknown). */
void heap_tune(size_t input_bytes);

#endif
