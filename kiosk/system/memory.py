"""Give freed heap memory back to the operating system (glibc's ``malloc_trim``).

Why: a slide change frees large buffers (the cross-fade's full-window grab, the old slide's
card pixmaps), but glibc keeps freed heap for reuse, and after the first big free it raises
its mmap threshold so later images are carved from the heap too; PSS then stays near the
high-water mark. Trimming once per slide change, when nothing is animating, returns it
without touching how frames allocate (``MALLOC_MMAP_THRESHOLD_`` would make every
cross-fade frame slower). Figures: benchmarks/results/findings-2026-11.md.
No Qt here; a no-op (None) where the C library is not glibc.
"""

from __future__ import annotations

import ctypes
import functools
import time


@functools.cache
def _malloc_trim():
    """glibc's malloc_trim, looked up once; None where the C library has none."""
    try:
        trim = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def release_free_memory() -> float | None:
    """Return freed heap pages to the OS; the milliseconds it took, or None if unsupported."""
    trim = _malloc_trim()
    if trim is None:
        return None
    start = time.perf_counter()
    trim(0)
    return (time.perf_counter() - start) * 1000
