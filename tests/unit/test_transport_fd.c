/* transport_fd, the fd transport for boards that keep usblp (/dev/usb/lpN), a pty or a file:
 * the ESC/POS job protocol runs on it unchanged against the printer model (a confirmed job
 * is one receipt PNG the model wrote); a device that stops taking bytes is a write timeout,
 * not a hang; silence is a read timeout; a far side that hangs up is -ENODEV; a file takes
 * the job's bytes exactly. */
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "drivers/escpos/escpos.h"
#include "board/sim/escpos_model.h"
#include "drivers/escpos/escpos_printer.h"
#include "drivers/transport/transport_fd.h"

static long long now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        assert_int_equal(unlink(path), 0);
    }
    closedir(d);
    assert_int_equal(rmdir(dir), 0);
}

static void test_escpos_job_over_fd(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_transport_fd.XXXXXX";
    assert_non_null(mkdtemp(dir));
    struct escpos_model *model;
    struct escpos_model_options options = { .out_dir = dir, .width_dots = 576 };
    assert_int_equal(escpos_model_start(&model, &options), 0);
    struct transport *transport;
    assert_int_equal(transport_fd_open(escpos_model_slave_path(model), &transport), 0);
    assert_string_equal(transport->ops->name, "fd");
    struct escpos_printer printer;
    escpos_printer_init(&printer, transport, escpos_profile_find("epson-tm-t70ii"));
    printer.confirm_timeout_ms = 10000;
    struct escpos_buffer job;
    escpos_buffer_init(&job);
    uint8_t bits[72 * 64];
    for (size_t i = 0; i < sizeof bits; i++)
        bits[i] = (uint8_t)(i % 72 == (i / 72) % 72 ? 0xFF : 0);
    struct escpos_bitmap bitmap = { bits, 576, 64, 72 };
    assert_int_equal(escpos_append_init(&job), 0);
    assert_int_equal(escpos_append_raster(&job, &bitmap), 0);
    assert_int_equal(escpos_append_code128(&job, "FD-0001", 80, 2, ESCPOS_HRI_NONE), 0);
    assert_int_equal(escpos_append_feed(&job, 3), 0);
    assert_int_equal(escpos_append_cut(&job, escpos_profile_cut(printer.profile), 0), 0);
    struct escpos_job_result result;
    escpos_printer_send_job(&printer, job.bytes, job.len, &result);
    assert_int_equal(result.outcome, ESCPOS_JOB_CONFIRMED);
    assert_int_equal(result.condition, ESCPOS_CONDITION_READY);
    assert_int_equal(result.bytes_sent, job.len);
    struct escpos_model_stats stats;
    escpos_model_get_stats(model, &stats);
    assert_int_equal(stats.errors, 0);
    assert_int_equal(stats.receipts, 1);
    assert_true(stats.rows >= 64);
    char png[600];
    snprintf(png, sizeof png, "%s/receipt-0001.png", dir);
    assert_int_equal(access(png, R_OK), 0);
    /* Cover open: the status probe over the fd refuses the job before a byte of it is sent. */
    assert_int_equal(escpos_model_set_fault(model, "cover-open", 0), 0);
    escpos_printer_send_job(&printer, job.bytes, job.len, &result);
    assert_int_equal(result.outcome, ESCPOS_JOB_FAILED_RETRYABLE);
    assert_int_equal(result.condition, ESCPOS_CONDITION_COVER_OPEN);
    assert_int_equal(result.bytes_sent, 0);
    transport_close(transport);
    escpos_model_stop(model);
    escpos_buffer_free(&job);
    remove_dir(dir);
}

static void test_stalled_and_hung_up(void **state)
{
    (void)state;
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    assert_true(master >= 0);
    assert_int_equal(grantpt(master), 0);
    assert_int_equal(unlockpt(master), 0);
    /* Raw, as a device model sets its pty (transport_fd itself does no termios). */
    struct termios tio;
    assert_int_equal(tcgetattr(master, &tio), 0);
    cfmakeraw(&tio);
    assert_int_equal(tcsetattr(master, TCSANOW, &tio), 0);
    struct transport *transport;
    assert_int_equal(transport_fd_open(ptsname(master), &transport), 0);
    /* Nobody reads the far side: the pty's buffer fills and the write must give up in time. */
    static uint8_t big[1 << 20];
    long long start = now_ms();
    assert_int_equal(transport_write(transport, big, sizeof big, 300), -ETIMEDOUT);
    long long took = now_ms() - start;
    assert_true(took >= 290 && took < 2000);
    /* Silence is a timeout, in about the time asked. */
    uint8_t b[16];
    start = now_ms();
    assert_int_equal(transport_read(transport, b, sizeof b, 200), -ETIMEDOUT);
    took = now_ms() - start;
    assert_true(took >= 190 && took < 1500);
    /* A reply comes through. */
    assert_int_equal(write(master, "\x12", 1), 1);
    assert_int_equal(transport_read(transport, b, sizeof b, 1000), 1);
    assert_int_equal(b[0], 0x12);
    /* The far side goes away (unplugged): -ENODEV, not a timeout. */
    close(master);
    assert_int_equal(transport_read(transport, b, sizeof b, 1000), -ENODEV);
    assert_int_equal(transport_write(transport, b, 1, 1000), -ENODEV);
    transport_close(transport);
}

static void test_file(void **state)
{
    (void)state;
    char path[] = "/tmp/test_transport_fd_file.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    struct transport *transport;
    assert_int_equal(transport_fd_open(path, &transport), 0);
    const uint8_t job[] = { 0x1B, 0x40, 0x1D, 0x56, 0x42, 0x00 };
    assert_int_equal(transport_write(transport, job, sizeof job, 100), (ssize_t)sizeof job);
    /* A file never answers: a read is a timeout that waited. */
    uint8_t b[4];
    long long start = now_ms();
    assert_int_equal(transport_read(transport, b, sizeof b, 100), -ETIMEDOUT);
    assert_true(now_ms() - start >= 90);
    transport_close(transport);
    uint8_t back[16];
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fread(back, 1, sizeof back, f), sizeof job);
    fclose(f);
    assert_memory_equal(back, job, sizeof job);
    unlink(path);
    assert_int_equal(transport_fd_open(path, &transport), -ENOENT);
    assert_null(transport);
    assert_int_equal(transport_fd_open("/tmp", &transport), -EISDIR);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escpos_job_over_fd),
        cmocka_unit_test(test_stalled_and_hung_up),
        cmocka_unit_test(test_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
