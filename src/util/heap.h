/* The allocator tuned for a short batch run: memory is kept and grown in
 * large steps instead of being handed back and faulted in page by page. */
#ifndef KM_HEAP_H
#define KM_HEAP_H

/* Call once, first thing in main, before other threads exist. */
void heap_tune(void);

#endif
