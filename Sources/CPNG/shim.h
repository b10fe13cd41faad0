#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A growing buffer that libpng writes into. */
typedef struct {
    unsigned char *bytes;
    size_t count, capacity;
    char message[160];
} report_png_buffer;

/* libpng's errors are kept for the caller, then jumped out of; its warnings are dropped. */
static inline void report_png_error(png_structp png, png_const_charp message) {
    report_png_buffer *buffer = (report_png_buffer *)png_get_error_ptr(png);
    snprintf(buffer->message, sizeof buffer->message, "%s", message);
    png_longjmp(png, 1);
}

static inline void report_png_warning(png_structp png, png_const_charp message) { (void)png; (void)message; }

static inline void report_png_append(png_structp png, png_bytep data, size_t length) {
    report_png_buffer *buffer = (report_png_buffer *)png_get_io_ptr(png);
    if (buffer->count + length > buffer->capacity) {
        size_t capacity = buffer->capacity ? buffer->capacity : 65536;
        while (capacity < buffer->count + length) capacity *= 2;
        unsigned char *grown = (unsigned char *)realloc(buffer->bytes, capacity);
        if (!grown) png_error(png, "out of memory");
        buffer->bytes = grown;
        buffer->capacity = capacity;
    }
    memcpy(buffer->bytes + buffer->count, data, length);
    buffer->count += length;
}

static inline void report_png_flush(png_structp png) { (void)png; }

/* Encodes Cairo's premultiplied, native-endian ARGB32 pixels, composited over white, as an 8-bit
   RGB PNG whose pHYs chunk records `pixels_per_metre`. libpng reports errors by longjmp, so the
   jump target lives here, in C, and no Swift frame is ever skipped. On success returns 0 and
   hands over a malloc'ed buffer in *out (free it with free()); otherwise returns -1 with libpng's
   message in `message`. */
static inline int report_png_encode_rgb(const unsigned char *argb, int width, int height, int stride,
                                        unsigned int pixels_per_metre, int compression,
                                        unsigned char **out, size_t *out_count,
                                        char *message, size_t message_capacity) {
    /* On the heap: what changes between setjmp and longjmp must not live in this frame. */
    report_png_buffer *buffer = (report_png_buffer *)calloc(1, sizeof *buffer);
    png_bytep volatile row = NULL;
    png_structp png = buffer ? png_create_write_struct(PNG_LIBPNG_VER_STRING, buffer, report_png_error, report_png_warning) : NULL;
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!png || !info) {
        png_destroy_write_struct(&png, &info);
        free(buffer);
        if (message_capacity) snprintf(message, message_capacity, "libpng could not start");
        return -1;
    }
    if (setjmp(png_jmpbuf(png))) {
        if (message_capacity) snprintf(message, message_capacity, "%s", buffer->message);
        free(row);
        free(buffer->bytes);
        free(buffer);
        png_destroy_write_struct(&png, &info);
        return -1;
    }
    png_set_write_fn(png, buffer, report_png_append, report_png_flush);
    png_set_compression_level(png, compression);
    /* One filter for every row: figures are flat colours and thin lines, for which libpng's
       trial of all five filters per row buys little and costs most of the encoding time. */
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_UP);
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_pHYs(png, info, pixels_per_metre, pixels_per_metre, PNG_RESOLUTION_METER);
    png_write_info(png, info);
    row = (png_bytep)malloc((size_t)width * 3);
    if (!row) png_error(png, "out of memory");
    for (int y = 0; y < height; y++) {
        const uint32_t *pixels = (const uint32_t *)(argb + (size_t)y * (size_t)stride);
        for (int x = 0; x < width; x++) {
            uint32_t p = pixels[x], transparent = 255 - (p >> 24);
            row[3 * x] = (png_byte)(((p >> 16) & 0xFF) + transparent);
            row[3 * x + 1] = (png_byte)(((p >> 8) & 0xFF) + transparent);
            row[3 * x + 2] = (png_byte)((p & 0xFF) + transparent);
        }
        png_write_row(png, row);
    }
    png_write_end(png, info);
    free(row);
    png_destroy_write_struct(&png, &info);
    *out = buffer->bytes;
    *out_count = buffer->count;
    free(buffer);
    return 0;
}
