// TurboJPEG: returns error codes (tjGetErrorStr2) instead of longjmp-ing
// like plain libjpeg, so Swift can call it safely.
#include <turbojpeg.h>
