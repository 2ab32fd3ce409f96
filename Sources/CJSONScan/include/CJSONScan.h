#ifndef AGENTTRAIL_CJSONSCAN_H
#define AGENTTRAIL_CJSONSCAN_H
#include <stddef.h>
#include <stdint.h>

/// The index just past the JSON object or array whose opening bracket is at `p[from]`, or -1 when it does not close
/// within `p[0..<n]` or is malformed in a way bracket matching sees: a closer of the other kind (checked for the first
/// 64 levels), nesting that reaches `max_depth` beyond those 64 levels, a string that does not end. Strings are
/// skipped as `JSONScan.stringEnd` does (a backslash escapes the byte after it); a backslash outside a string is an
/// ordinary byte. Contents are not validated otherwise. The same answer as the Swift reference implementation
/// (`JSONScanReference.skipContainer` in the tests) on every input; it finds quotes, backslashes and brackets 64
/// bytes at a time (AVX2 and PCLMULQDQ on x86-64 processors that have them, else SSE2 where available) and walks
/// byte by byte only through blocks that hold a backslash.
ptrdiff_t agenttrail_skip_container(const uint8_t *p, ptrdiff_t from, ptrdiff_t n, ptrdiff_t max_depth);

/// `agenttrail_skip_container` without AVX2 (SSE2 where available): the same answers; the tests compare both.
ptrdiff_t agenttrail_skip_container_portable(const uint8_t *p, ptrdiff_t from, ptrdiff_t n, ptrdiff_t max_depth);

/// 1 when `agenttrail_skip_container` uses AVX2 and PCLMULQDQ on this processor, else 0.
int agenttrail_skip_container_uses_avx2(void);

#endif
