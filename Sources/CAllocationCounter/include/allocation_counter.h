#ifndef ALLOCATION_COUNTER_H
#define ALLOCATION_COUNTER_H
#include <stdint.h>

/// Heap allocations (malloc, calloc, realloc of NULL or to a new block, memalign family)
/// and bytes requested since the process started, counted by this target's malloc
/// interposer. Linked only into the AdmissionBench executable.
uint64_t allocation_counter_allocations(void);
uint64_t allocation_counter_bytes(void);

#endif
