// Vector operations that Swift's SIMD types lack or lower lane by lane.
//
// Swift imports clang's ext_vector_type(8) as SIMD8, and these static inline
// functions are inlined into the Swift callers. Swift's SIMD8<Float>
// .squareRoot() compiles to eight scalar sqrtf calls with errno checks;
// __builtin_elementwise_sqrt is one vsqrtps.
#ifndef NCF_SIMD_SHIMS_H
#define NCF_SIMD_SHIMS_H

typedef float ncf_float8 __attribute__((ext_vector_type(8)));
typedef double ncf_double8 __attribute__((ext_vector_type(8)));

static inline __attribute__((always_inline)) ncf_float8 ncf_sqrt_f8(ncf_float8 x) {
  return __builtin_elementwise_sqrt(x);
}

static inline __attribute__((always_inline)) ncf_double8 ncf_sqrt_d8(ncf_double8 x) {
  return __builtin_elementwise_sqrt(x);
}

#endif
