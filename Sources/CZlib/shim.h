#ifndef AGENTTRAIL_CZLIB_SHIM_H
#define AGENTTRAIL_CZLIB_SHIM_H
#include <zlib.h>

/// inflateInit2 is a macro in zlib.h; Swift cannot call macros, so wrap it.
static inline int agenttrail_inflateInit2(z_streamp strm, int windowBits) {
    return inflateInit2(strm, windowBits);
}

/// deflateInit2 is a macro in zlib.h too (used by tests to build gzip data; windowBits 31 = gzip wrapper).
static inline int agenttrail_deflateInit2(z_streamp strm, int level, int windowBits, int memLevel, int strategy) {
    return deflateInit2(strm, level, Z_DEFLATED, windowBits, memLevel, strategy);
}
#endif
