// Bracket matching over JSON bytes, 64 bytes at a time (the idea of simdjson's first stage: masks of quotes and
// brackets per block, the string interior as a prefix XOR of the quote mask). Written for AgentTrail; the exact
// semantics are those of the Swift skipContainer it replaced, which the tests keep as the oracle.
#include "CJSONScan.h"
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define AGENTTRAIL_X86_DISPATCH 1
#include <cpuid.h>
#include <immintrin.h>
#endif

typedef struct {
    ptrdiff_t depth;
    uint64_t kinds;      // bit k set: level k is an array
    int in_string;
    int escape;          // inside a string, the next byte is escaped
    ptrdiff_t max_depth;
} scan_state;

enum { OPEN_OBJECT = 0x7B, OPEN_ARRAY = 0x5B, CLOSE_OBJECT = 0x7D, CLOSE_ARRAY = 0x5D, QUOTE = 0x22, BACKSLASH = 0x5C };

// One bracket outside strings. Returns 1 when the container closed (depth back to 0), -1 on an error, 0 otherwise.
static inline int bracket(scan_state *s, uint8_t b) {
    if (b == OPEN_OBJECT || b == OPEN_ARRAY) {
        if (s->depth < 64) {
            uint64_t bit = (uint64_t)1 << s->depth;
            if (b == OPEN_ARRAY) s->kinds |= bit; else s->kinds &= ~bit;
        } else if (s->depth >= s->max_depth) {
            return -1;
        }
        s->depth += 1;
        return 0;
    }
    s->depth -= 1;
    if (s->depth < 0) return -1;
    if (s->depth < 64) {
        int is_array = (s->kinds >> s->depth) & 1;
        if (is_array != (b == CLOSE_ARRAY)) return -1;
    }
    return s->depth == 0 ? 1 : 0;
}

// Bytes p[i..<end] one at a time. Returns the index past the closing bracket, -1 on an error, -2 when not closed yet.
static ptrdiff_t bytewise(scan_state *s, const uint8_t *p, ptrdiff_t i, ptrdiff_t end) {
    for (; i < end; i++) {
        uint8_t b = p[i];
        if (s->in_string) {
            if (s->escape) s->escape = 0;
            else if (b == BACKSLASH) s->escape = 1;
            else if (b == QUOTE) s->in_string = 0;
            continue;
        }
        switch (b) {
        case QUOTE: s->in_string = 1; break;
        case OPEN_OBJECT: case OPEN_ARRAY: case CLOSE_OBJECT: case CLOSE_ARRAY: {
            int r = bracket(s, b);
            if (r < 0) return -1;
            if (r > 0) return i + 1;
            break;
        }
        default: break;
        }
    }
    return -2;
}

// Bit k of each mask: byte k of the block is a quote / a backslash / an opening or closing bracket.
typedef struct { uint64_t quote, backslash, bracket; } block_masks;

static inline block_masks masks_of(const uint8_t *block) {
    block_masks m;
#if defined(__SSE2__)
    const __m128i q = _mm_set1_epi8((char)QUOTE), bs = _mm_set1_epi8((char)BACKSLASH);
    // '{' 0x7B and '[' 0x5B differ only in bit 5, as do '}' 0x7D and ']' 0x5D; no other byte ORed with 0x20 gives
    // 0x7B or 0x7D.
    const __m128i low = _mm_set1_epi8(0x20), open = _mm_set1_epi8(0x7B), close = _mm_set1_epi8(0x7D);
    uint64_t mq = 0, mb = 0, mk = 0;
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(block + 16 * k));
        __m128i folded = _mm_or_si128(v, low);
        uint64_t a = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, q));
        uint64_t b = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, bs));
        uint64_t c = (uint32_t)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(folded, open), _mm_cmpeq_epi8(folded, close)));
        mq |= a << (16 * k); mb |= b << (16 * k); mk |= c << (16 * k);
    }
    m.quote = mq; m.backslash = mb; m.bracket = mk;
#else
    uint64_t mq = 0, mb = 0, mk = 0;
    for (int k = 0; k < 64; k++) {
        uint8_t b = block[k], f = b | 0x20;
        mq |= (uint64_t)(b == QUOTE) << k;
        mb |= (uint64_t)(b == BACKSLASH) << k;
        mk |= (uint64_t)(f == 0x7B || f == 0x7D) << k;
    }
    m.quote = mq; m.backslash = mb; m.bracket = mk;
#endif
    return m;
}

// Bit k: the XOR of bits 0...k of x (1 from an opening quote up to, not including, its closing quote).
static inline uint64_t prefix_xor(uint64_t x) {
    x ^= x << 1; x ^= x << 2; x ^= x << 4; x ^= x << 8; x ^= x << 16; x ^= x << 32;
    return x;
}

// The block loop, given how a block's masks and a mask's prefix XOR are computed. Inlined into each variant below
// (with the AVX2 functions only into the one compiled for AVX2).
#define SKIP_CONTAINER_BODY(MASKS, PREFIX_XOR)                                                         \
    scan_state s = { 0, 0, 0, 0, max_depth };                                                         \
    ptrdiff_t i = from;                                                                               \
    while (n - i >= 64) {                                                                             \
        block_masks m = MASKS(p + i);                                                                 \
        if (m.backslash != 0 || s.escape) {                                                           \
            /* (Escapes are rare in CloudTrail; a block holding one is walked byte by byte, which */   \
            /* keeps a backslash outside a string an ordinary byte, as the reference has it.) */      \
            ptrdiff_t r = bytewise(&s, p, i, i + 64);                                                 \
            if (r != -2) return r;                                                                    \
        } else {                                                                                      \
            uint64_t inside = PREFIX_XOR(m.quote) ^ (s.in_string ? ~(uint64_t)0 : 0);                 \
            uint64_t brackets = m.bracket & ~inside;                                                  \
            while (brackets != 0) {                                                                   \
                int k = __builtin_ctzll(brackets);                                                    \
                int r = bracket(&s, p[i + k]);                                                        \
                if (r < 0) return -1;                                                                 \
                if (r > 0) return i + k + 1;                                                          \
                brackets &= brackets - 1;                                                             \
            }                                                                                         \
            s.in_string = (int)(inside >> 63);                                                        \
        }                                                                                             \
        i += 64;                                                                                      \
    }                                                                                                 \
    ptrdiff_t r = bytewise(&s, p, i, n);                                                              \
    return r == -2 ? -1 : r;

ptrdiff_t agenttrail_skip_container_portable(const uint8_t *p, ptrdiff_t from, ptrdiff_t n, ptrdiff_t max_depth) {
    SKIP_CONTAINER_BODY(masks_of, prefix_xor)
}

#if AGENTTRAIL_X86_DISPATCH
// The same masks 32 bytes at a time (AVX2), and the prefix XOR as one carry-less multiplication by all ones
// (PCLMULQDQ), as simdjson's stage 1 does: about a third of the SSE2 path's instructions per block.
__attribute__((target("avx2"))) static inline block_masks masks_avx2(const uint8_t *block) {
    const __m256i q = _mm256_set1_epi8((char)QUOTE), bs = _mm256_set1_epi8((char)BACKSLASH);
    const __m256i low = _mm256_set1_epi8(0x20), open = _mm256_set1_epi8(0x7B), close = _mm256_set1_epi8(0x7D);
    __m256i v0 = _mm256_loadu_si256((const __m256i *)block), v1 = _mm256_loadu_si256((const __m256i *)(block + 32));
    __m256i f0 = _mm256_or_si256(v0, low), f1 = _mm256_or_si256(v1, low);
    block_masks m;
    m.quote = (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v0, q))
        | (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v1, q)) << 32;
    m.backslash = (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v0, bs))
        | (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v1, bs)) << 32;
    m.bracket = (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_or_si256(_mm256_cmpeq_epi8(f0, open), _mm256_cmpeq_epi8(f0, close)))
        | (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_or_si256(_mm256_cmpeq_epi8(f1, open), _mm256_cmpeq_epi8(f1, close))) << 32;
    return m;
}

__attribute__((target("pclmul,sse2"))) static inline uint64_t prefix_xor_clmul(uint64_t x) {
    __m128i product = _mm_clmulepi64_si128(_mm_set_epi64x(0, (long long)x), _mm_set1_epi8((char)0xFF), 0);
    return (uint64_t)_mm_cvtsi128_si64(product);
}

__attribute__((target("avx2,pclmul"))) static ptrdiff_t skip_container_avx2(const uint8_t *p, ptrdiff_t from, ptrdiff_t n,
                                                                         ptrdiff_t max_depth) {
    SKIP_CONTAINER_BODY(masks_avx2, prefix_xor_clmul)
}

// 1: the processor and the operating system support AVX2 and PCLMULQDQ (CPUID leaves 1 and 7, and XGETBV for the
// YMM state); 0: not. Decided on first use.
static int avx2_state = -1;

static int detect_avx2(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    int pclmul = (c >> 1) & 1, osxsave = (c >> 27) & 1, avx = (c >> 28) & 1;
    if (!pclmul || !osxsave || !avx) return 0;
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 6) != 6) return 0;  // XMM and YMM state saved by the OS
    if (__get_cpuid_max(0, 0) < 7) return 0;
    __cpuid_count(7, 0, a, b, c, d);
    return (b >> 5) & 1;
}

int agenttrail_skip_container_uses_avx2(void) {
    int state = __atomic_load_n(&avx2_state, __ATOMIC_RELAXED);
    if (state < 0) {
        state = detect_avx2();
        __atomic_store_n(&avx2_state, state, __ATOMIC_RELAXED);
    }
    return state;
}

ptrdiff_t agenttrail_skip_container(const uint8_t *p, ptrdiff_t from, ptrdiff_t n, ptrdiff_t max_depth) {
    if (agenttrail_skip_container_uses_avx2()) return skip_container_avx2(p, from, n, max_depth);
    return agenttrail_skip_container_portable(p, from, n, max_depth);
}
#else
int agenttrail_skip_container_uses_avx2(void) { return 0; }

ptrdiff_t agenttrail_skip_container(const uint8_t *p, ptrdiff_t from, ptrdiff_t n, ptrdiff_t max_depth) {
    return agenttrail_skip_container_portable(p, from, n, max_depth);
}
#endif
