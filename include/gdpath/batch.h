/* batch.h — the headless mode (SPEC §7): metadata lines, one header, CSV rows. */
#ifndef GDPATH_BATCH_H
#define GDPATH_BATCH_H

#include <stdio.h>

struct opts;
struct run;

/* Run o->steps steps of a run built from o and write the CSV to stdout or o->output.
 * Returns the exit status (0 done, 1 error, 2 usage, 3 diverged); messages on stderr. */
int batch_main(const struct opts *o);

struct run;
/* The exit status a run's fate asks for, the one rule of --batch, --snapshot and the view:
 * EXIT_DIVERGED (3) when its loss became non-finite or rose above 1000 times the initial
 * loss (run.h blowup_step), else EXIT_OK. */
int batch_run_status(const struct run *r);

/* The CSV of a run as it stands: metadata, header, and its history rows (for the
 * screen's export). */
void batch_write_meta(FILE *out, const struct run *r);
void batch_write_header(FILE *out, const struct run *r);
/* One row for the run's current state (alpha, beta filled when the spectrum is from
 * this step). */
void batch_write_row(FILE *out, struct run *r);

/* The run's whole kept history as rows (step 0, the decimated history, the current step):
 * the screen's export. alpha/beta are empty, alpha_path/beta_path the current values. */
void batch_write_history(FILE *out, struct run *r);

#endif
