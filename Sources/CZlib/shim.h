// zlib: gzip decoding (inflate with automatic header detection) and encoding
// for IDX files. Every zlib call reports errors by return value.
#include <zlib.h>
