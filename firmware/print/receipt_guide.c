#include "firmware/print/receipt_guide.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "firmware/catalogue/guide_text.h"
#include "firmware/core/i18n.h"
#include "firmware/print/receipt_worker.h"

int receipt_guide_build(struct receipt *receipt, const struct catalogue *catalogue, const struct catalogue_item *item,
                        const char *unit_id, const char *time_text)
{
    char line[1024], value[256];
    receipt_add_title(receipt, _("Service guide"));
    receipt_add_heading(receipt, item->name);
    receipt_add_row(receipt, _("Item code"), item->implementation_code);
    guide_text_limit(&item->promised_limit, value, sizeof value);
    receipt_add_row(receipt, _("Time limit"), value);
    if (!item->fee_count) {
        receipt_add_row(receipt, _("Fee"), _("Free of charge."));
    } else {
        for (size_t i = 0; i < item->fee_count; i++) {
            snprintf(line, sizeof line, "%s: %s", item->fees[i].name, item->fees[i].standard);
            receipt_add_row(receipt, i ? "" : _("Fee"), line);
        }
    }
    receipt_add_separator(receipt);

    receipt_add_heading(receipt, guide_text_section_title(GUIDE_BRING));
    if (!item->material_count)
        receipt_add_text(receipt, _("Nothing to bring."));
    for (size_t i = 0; i < item->material_count; i++) {
        const struct catalogue_material *m = &item->materials[i];
        int n = snprintf(line, sizeof line, "%zu. ", i + 1);
        n += snprintf(line + n, sizeof line - (size_t)n, _("%s (%s, %d)"), m->name, guide_text_form(m->form), m->copies);
        if (!m->required && n < (int)sizeof line)
            n += snprintf(line + n, sizeof line - (size_t)n, " %s", _("— only if you have it"));
        if (m->e_licence && n < (int)sizeof line)
            snprintf(line + n, sizeof line - (size_t)n, "\n%s", _("No need to bring it: the electronic licence is used."));
        receipt_add_text(receipt, line);
    }
    receipt_add_separator(receipt);

    receipt_add_heading(receipt, guide_text_section_title(GUIDE_WHERE));
    if (item->kiosk_filable)
        receipt_add_text(receipt, _("You can apply at this kiosk."));
    /* Two halls at most: a slip with every hall in the city is too long to carry; the QR
     * code leads to the full list. */
    const size_t halls = item->window_hall_count < 2 ? item->window_hall_count : 2;
    for (size_t i = 0; i < halls; i++) {
        const struct catalogue_hall *hall = &catalogue->halls[item->window_halls[i]];
        receipt_add_row(receipt, _("Hall"), hall->name);
        receipt_add_row(receipt, _("Address"), hall->address);
        receipt_add_row(receipt, _("Hours"), hall->hours);
        if (hall->phone[0])
            receipt_add_row(receipt, _("Phone"), hall->phone);
    }
    if (item->window_hall_count > halls) {
        snprintf(line, sizeof line, _("%d more halls: scan the code below."), (int)(item->window_hall_count - halls));
        receipt_add_text(receipt, line);
    }
    if (item->online_url) {
        receipt_add_separator(receipt);
        receipt_add_qr(receipt, item->online_url, _("Scan to read this guide or apply online"));
    }
    receipt_add_separator(receipt);
    return receipt_add_footer(receipt, unit_id, time_text);
}

int receipt_submit_guide(const struct catalogue *catalogue, const struct catalogue_item *item, const char *unit_id,
                         const char *time_text)
{
    struct receipt *receipt = receipt_create(receipt_worker_profile());
    if (!receipt)
        return -ENOMEM;
    int rc = receipt_guide_build(receipt, catalogue, item, unit_id, time_text);
    if (rc < 0) {
        receipt_free(receipt);
        return rc;
    }
    return receipt_worker_submit_receipt("guide", receipt); /* the worker's from here */
}
