"""The process's memory allocator, set so a simulation's months reuse their pages
(docs/decisions/0048-allocator-kept-heap.md).

A month of a large economy allocates and frees dozens of household-sized temporaries
(8 MB each at 1M households). With glibc's defaults those pages do not stay: the free
space at the top of the heap is handed back to the kernel once it exceeds twice the
largest block freed so far, and blocks above the (adaptive) mmap threshold get fresh
mappings. Each month's temporaries are then new pages, every one faulted in and zeroed
by the kernel: about 7,000 faults a month at 1M households, a sixth of its time.

Serving blocks up to `MMAP_THRESHOLD` from the heap, growing the heap by `TOP_PAD` at
a time and keeping up to `TRIM_THRESHOLD` of free space at its top reuses the same
pages month after month. The process's peak memory does not change (it is what a
month needs); between months it is kept rather than returned.

Set once at a process's start: `build_platform` (every function instance and the
local runtime), `aia` (the command line) and the benchmarks."""

from __future__ import annotations

import ctypes
import functools
import platform

# mallopt(3) parameters (malloc.h)
M_TRIM_THRESHOLD = -1
M_TOP_PAD = -2
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 32 << 20  # glibc's largest (HEAP_MAX_SIZE / 2 on 64-bit)
TOP_PAD = 64 << 20
TRIM_THRESHOLD = 1 << 30


@functools.cache
def keep_freed_memory() -> bool:
    """Apply the settings above once per process (a second call from another thread at
    the same moment sets the same values again: harmless); False where the C library is
    not glibc (macOS, musl), whose allocators are left as they are."""
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return False
    mallopt = ctypes.CDLL(None).mallopt
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    settings = (
        (M_MMAP_THRESHOLD, MMAP_THRESHOLD),
        (M_TOP_PAD, TOP_PAD),
        (M_TRIM_THRESHOLD, TRIM_THRESHOLD),
    )
    # mallopt returns 1 on success; a refused value leaves glibc's default in place
    return all(mallopt(option, value) == 1 for option, value in settings)
