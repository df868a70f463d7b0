// libpng's simplified API (png_image_*): reports errors through return
// values and png_image.message, never longjmp, so Swift can call it safely.
#include <png.h>
