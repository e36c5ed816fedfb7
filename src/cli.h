/* The convsummary command as a function, for main() and the fuzzer. */
#ifndef CS_CLI_H
#define CS_CLI_H

#include <stdio.h>

/* Run the command with argc/argv as main() gets them, writing to out and
 * err instead of stdout and stderr; returns the exit status (README, "Exit
 * status").  It may be called again: getopt is restarted each time. */
int cs_cli(int argc, char **argv, FILE *out, FILE *err);

/* The exit statuses (README, "Exit status"). */
enum {
	CS_EXIT_OK = 0,
	CS_EXIT_INVALID = 1,	/* a model file is invalid */
	CS_EXIT_USAGE = 2,	/* bad option, unreadable file, write error, no memory */
	CS_EXIT_CHECK = 3,	/* a check or budget failed */
};

#endif
