/* PCL laser model behind a pty (see pcl_model.h). */
#include "board/sim/pcl_model.h"
#include "board/sim/pcl_decode.h"
#include "firmware/print/print_raster.h"
#include "board/sim/sim_device.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

enum model_fault { FAULT_NONE, FAULT_PAPER_EMPTY_AFTER, FAULT_PAPER_EMPTY, FAULT_ERROR };
static const char *const model_fault_names[] = { "none", "paper-empty-after", "paper-empty", "error", NULL };

/* IEEE 1284 port status as GET_PORT_STATUS returns it. */
enum { PORT_PAPER_EMPTY = 0x20, PORT_SELECTED = 0x10, PORT_NOT_ERROR = 0x08 };

struct pcl_model {
    struct sim_device device;      /* the pty and the thread behind it */
    int wake_fd;
    char out_dir[512];
    /* device.lock guards everything below */
    struct pcl_decoder *decoder;
    enum model_fault fault;
    unsigned fault_rows;
    unsigned long rows_since_fault;
    int paper_empty, error;
    struct pcl_model_stats stats;
};

static void model_on_page(void *context, const struct pcl_decoder_page *page)
{
    struct pcl_model *model = context;
    char path[600], err[256];
    snprintf(path, sizeof path, "%s/page-%04lu.png", model->out_dir, model->stats.pages + 1);
    struct print_bitmap bitmap = { page->width, page->height, page->stride, (uint8_t *)page->bits };
    if (print_bitmap_write_png(&bitmap, page->dpi, path, err, sizeof err) == 0) {
        model->stats.pages++;
        fprintf(stderr, "pcl_model: page out: %s (%dx%d at %d dpi)\n", path, page->width, page->height, page->dpi);
    } else {
        fprintf(stderr, "pcl_model: cannot write the page: %s\n", err);
    }
}

static void model_on_error(void *context, const char *why)
{
    struct pcl_model *model = context;
    model->stats.errors++;
    fprintf(stderr, "pcl_model: error: %s\n", why);
}

static int model_on_row(void *context)
{
    struct pcl_model *model = context;
    if (model->error || model->paper_empty)
        return -1;
    if (model->fault == FAULT_PAPER_EMPTY_AFTER && model->rows_since_fault >= model->fault_rows) {
        model->paper_empty = 1;
        fprintf(stderr, "pcl_model: paper empty after %lu rows: the page in progress is lost, input held\n",
                model->rows_since_fault);
        return -1;
    }
    model->rows_since_fault++;
    model->stats.rows++;
    return 0;
}

static int model_taking_data(const struct pcl_model *model)
{
    return !model->paper_empty && !model->error && !pcl_decoder_halted(model->decoder);
}

static void model_wake(struct pcl_model *model)
{
    uint64_t one = 1;
    if (write(model->wake_fd, &one, sizeof one) != sizeof one)
        perror("pcl_model: wake");
}

static void *model_thread_main(void *arg)
{
    struct pcl_model *model = arg;
    uint8_t *buf = malloc(65536);
    if (!buf)
        return NULL;
    for (;;) {
        pthread_mutex_lock(&model->device.lock);
        int taking = model_taking_data(model);
        pthread_mutex_unlock(&model->device.lock);
        /* A stopped printer reads nothing: the host's writes back up and time out, as on a
         * laser whose buffer is full. */
        struct pollfd fds[3] = { { .fd = model->device.stop_fd, .events = POLLIN },
                                 { .fd = model->wake_fd, .events = POLLIN },
                                 { .fd = model->device.master_fd, .events = taking ? POLLIN : 0 } };
        if (poll(fds, 3, -1) < 0 && errno != EINTR)
            break;
        if (fds[0].revents & POLLIN)
            break;
        if (fds[1].revents & POLLIN) {
            uint64_t count;
            if (read(model->wake_fd, &count, sizeof count) < 0)
                perror("pcl_model: wake");
            continue;
        }
        if (!(fds[2].revents & POLLIN)) {
            if (fds[2].revents & (POLLHUP | POLLERR)) {
                struct timespec pause = { 0, 20000000 };
                nanosleep(&pause, NULL);
            }
            continue;
        }
        ssize_t n = read(model->device.master_fd, buf, 65536);
        if (n <= 0)
            continue;
        pthread_mutex_lock(&model->device.lock);
        model->stats.bytes += (unsigned long)n;
        if (pcl_decoder_feed(model->decoder, buf, (size_t)n) < 0)
            fprintf(stderr, "pcl_model: out of memory: %zd bytes lost\n", n);
        pthread_mutex_unlock(&model->device.lock);
    }
    free(buf);
    return NULL;
}

static void model_apply_fault(struct pcl_model *model, enum model_fault fault, unsigned rows)
{
    model->fault = fault;
    model->fault_rows = rows;
    model->rows_since_fault = 0;
    model->paper_empty = fault == FAULT_PAPER_EMPTY || (fault == FAULT_PAPER_EMPTY_AFTER && rows == 0);
    model->error = fault == FAULT_ERROR;
}

int pcl_model_start(struct pcl_model **model_out, const struct pcl_model_options *options)
{
    int fault = sim_device_find_fault(model_fault_names, options->fault);
    if (fault < 0 || !options->out_dir)
        return -EINVAL;
    struct pcl_model *model = calloc(1, sizeof *model);
    if (!model)
        return -ENOMEM;
    model->wake_fd = -1;
    int rc = 0;
    struct pcl_decoder_hooks hooks = { model_on_page, model_on_error, model_on_row, model };
    if (pcl_decoder_new(&hooks, &model->decoder) < 0)
        rc = -ENOMEM;
    /* Its own eventfd beside the device's stop_fd: set_fault and restore wake the thread. */
    else if ((model->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0)
        rc = -errno;
    if (rc == 0) {
        snprintf(model->out_dir, sizeof model->out_dir, "%s", options->out_dir);
        model_apply_fault(model, (enum model_fault)fault, options->fault_rows);
        rc = sim_device_start(&model->device, model_thread_main, model);
    }
    if (rc < 0) {
        if (model->wake_fd >= 0)
            close(model->wake_fd);
        pcl_decoder_free(model->decoder);
        free(model);
        return rc;
    }
    *model_out = model;
    return 0;
}

const char *pcl_model_slave_path(const struct pcl_model *model)
{
    return model->device.slave_path;
}

int pcl_model_set_fault(struct pcl_model *model, const char *fault, unsigned rows)
{
    int index = sim_device_find_fault(model_fault_names, fault);
    if (index < 0)
        return -EINVAL;
    pthread_mutex_lock(&model->device.lock);
    model_apply_fault(model, (enum model_fault)index, rows);
    pthread_mutex_unlock(&model->device.lock);
    model_wake(model);
    return 0;
}

void pcl_model_restore(struct pcl_model *model)
{
    pthread_mutex_lock(&model->device.lock);
    model_apply_fault(model, FAULT_NONE, 0);
    pcl_decoder_resume(model->decoder);
    pthread_mutex_unlock(&model->device.lock);
    model_wake(model);
}

int pcl_model_port_status(void *context, uint8_t *status)
{
    struct pcl_model *model = context;
    pthread_mutex_lock(&model->device.lock);
    if (model->paper_empty)
        *status = PORT_PAPER_EMPTY | PORT_NOT_ERROR;   /* paper out takes it off line */
    else if (model->error)
        *status = PORT_SELECTED;
    else
        *status = PORT_SELECTED | PORT_NOT_ERROR;
    pthread_mutex_unlock(&model->device.lock);
    return 0;
}

int pcl_model_soft_reset(void *context)
{
    struct pcl_model *model = context;
    pthread_mutex_lock(&model->device.lock);
    /* What the host queued but the printer has not taken yet goes too: on USB it sits in
     * the printer's buffer, here in the pty. */
    tcflush(model->device.master_fd, TCIFLUSH);
    pcl_decoder_reset(model->decoder);
    model->stats.resets++;
    pthread_mutex_unlock(&model->device.lock);
    fprintf(stderr, "pcl_model: soft reset: input and the page in progress dropped\n");
    model_wake(model);
    return 0;
}

void pcl_model_get_stats(struct pcl_model *model, struct pcl_model_stats *stats)
{
    sim_device_copy_locked(&model->device, stats, &model->stats, sizeof *stats);
}

void pcl_model_stop(struct pcl_model *model)
{
    if (!model)
        return;
    sim_device_stop(&model->device, "pcl_model_stop");
    close(model->wake_fd);
    pcl_decoder_free(model->decoder);
    free(model);
}

const char *const *pcl_model_fault_names(void)
{
    return model_fault_names;
}
