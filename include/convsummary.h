/*
 * convsummary: Keras-exact model summaries from a YAML model description.
 *
 * The library reads a model file (see README.md for the format), computes
 * every layer's output shape and weight counts as Keras 3 does, and renders
 * the summary in one of several formats.  It never prints: errors come back
 * in a struct cs_error, in compiler form (file, 1-based line and column,
 * message).
 *
 * Thread safety: a model is read-only once loaded, so any number of
 * threads may read and render the same model; loading, rendering and
 * destroying different models may run on different threads at once.  The
 * library starts no threads of its own.
 *
 * Option structs grow at their end: set their size member (the
 * CS_*_OPTIONS_INIT macros do), and a program built against an older,
 * shorter struct keeps working.
 */
#ifndef CONVSUMMARY_H
#define CONVSUMMARY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CS_VERSION "0.1.0"

/* What the library exports; everything else stays inside it. */
#if defined(__GNUC__) && defined(CS_BUILDING_LIBRARY)
#define CS_API __attribute__((visibility("default")))
#else
#define CS_API
#endif

/* An unknown dimension (Keras's None). */
#define CS_NONE (-1)

/* What went wrong. */
enum cs_status {
	CS_OK = 0,
	CS_ERR_MODEL,		/* the model file's content is not a valid model */
	CS_ERR_IO,		/* a file cannot be read, or the output written */
	CS_ERR_MEMORY,		/* memory ran out (the file is not at fault) */
	CS_ERR_ARGUMENT		/* an option or argument of the call is invalid */
};

struct cs_error {
	enum cs_status status;
	char file[1024];	/* the file's name as given; a longer one is cut
				 * on a character boundary and ends in "..." */
	unsigned line;		/* 1-based; 0 when the error has no place */
	unsigned column;	/* 1-based; 0 when the error has no place */
	char message[1024];
};

/* Write "file:line:col: error: message\n" (or "file: error: ...") to f,
 * with control characters in the file name and message escaped. */
CS_API void cs_error_print(const struct cs_error *err, FILE *f);

typedef struct cs_model cs_model;

/*
 * Read, check and summarise the model in the file at path ("-": the
 * standard input, named "<stdin>" in errors).  Returns a model
 * the caller frees with cs_model_destroy(), or NULL with *err filled in:
 * status CS_ERR_IO when the file cannot be read, CS_ERR_MEMORY when
 * memory ran out, CS_ERR_MODEL when its content is not a valid model.
 */
CS_API cs_model *cs_model_load_file(const char *path, struct cs_error *err);

/*
 * The same from len bytes in memory; name is used in error messages.  The
 * bytes are not kept.
 */
CS_API cs_model *cs_model_load_buffer(const char *data, size_t len, const char *name,
			       struct cs_error *err);

/* How to load. */
struct cs_load_options {
	size_t size;		/* sizeof(struct cs_load_options); 0: this header's */
	int explain;		/* keep each layer's arithmetic (cs_layer_info.explain) */
	const int64_t *input_shape;	/* if not NULL: use this input (one
					 * sample's shape) instead of the file's */
	size_t input_rank;
	int audit;		/* look for probable mistakes (cs_model_warning) */
};

#define CS_LOAD_OPTIONS_INIT { sizeof(struct cs_load_options), 0, NULL, 0, 0 }

/* cs_model_load_file() and cs_model_load_buffer() with options; opt may be
 * NULL for the defaults. */
CS_API cs_model *cs_model_load_file_opts(const char *path, const struct cs_load_options *opt,
				  struct cs_error *err);
CS_API cs_model *cs_model_load_buffer_opts(const char *data, size_t len, const char *name,
				    const struct cs_load_options *opt, struct cs_error *err);

/* Free a model and everything it owns; NULL does nothing. */
CS_API void cs_model_destroy(cs_model *m);

/* One layer's row, valid as long as the model and this struct are. */
struct cs_layer_info {
	const char *name;	/* the layer's name (explicit or automatic) */
	char name_buf[96];	/* where an automatic name is written */
	const char *class_name;	/* the canonical Keras class, e.g. "Conv2D" */
	size_t rank;		/* output rank, batch included */
	const int64_t *dims;	/* output shape, batch first; CS_NONE unknown */
	int64_t trainable_params;
	int64_t non_trainable_params;
	int64_t trainable_bytes;
	int64_t non_trainable_bytes;
	unsigned line, column;	/* where the layer is in the file */
	const char *explain;	/* with the explain option: how its shape and
				 * count are worked out, lines ending in '\n';
				 * otherwise NULL */
};

struct cs_totals {
	int64_t trainable_params;
	int64_t non_trainable_params;
	int64_t trainable_bytes;
	int64_t non_trainable_bytes;
};

/*
 * The accessors below never fail and never allocate; what they return
 * (texts, shapes) is owned by the model and lives as long as it does.  An
 * index out of range is a programming error (not checked), except where a
 * function says it returns -1.
 */

/* The model's name ("sequential" unless the file names it). */
CS_API const char *cs_model_name(const cs_model *m);
/* The first input's rank (batch included), shape (batch first; CS_NONE
 * for an unknown size) and dtype name ("float32" unless given). */
CS_API size_t cs_model_input_rank(const cs_model *m);
CS_API const int64_t *cs_model_input_dims(const cs_model *m);
CS_API const char *cs_model_input_dtype(const cs_model *m);
/* The number of layers: the summary's rows. */
CS_API size_t cs_model_layer_count(const cs_model *m);
/* Fill the caller's *info for layer i (0 <= i < cs_model_layer_count); its
 * pointers lead into the model or into info->name_buf, so *info must
 * outlive their use. */
CS_API void cs_model_layer(const cs_model *m, size_t i, struct cs_layer_info *info);
/* The model's totals, as the summary's footer gives them. */
CS_API void cs_model_totals(const cs_model *m, struct cs_totals *t);

/* Where a tensor comes from: the model's input `index`, or output `output`
 * of call `call` of the layer in row `index` (calls counted from 0 over
 * all of that layer's calls, as Keras's "Connected to" counts them). */
struct cs_tensor {
	int is_input;
	size_t index;
	size_t call;
	size_t output;
};

/* One of the model's inputs, valid as long as the model is. */
struct cs_input_info {
	const char *name;	/* Keras's InputLayer name ("input_layer") */
	char name_buf[32];	/* where an automatic name is written */
	size_t rank;		/* batch included */
	const int64_t *dims;	/* batch first; CS_NONE unknown */
	const char *dtype;
	unsigned line, column;	/* where the file gives it */
};

/* The model's inputs (a Sequential model has one: cs_model_input_dims()
 * and the others above are its first) and outputs (a Sequential model's
 * is its last layer's, or its input when it has no layers). */
CS_API size_t cs_model_input_count(const cs_model *m);
CS_API void cs_model_input(const cs_model *m, size_t k, struct cs_input_info *info);
CS_API size_t cs_model_output_count(const cs_model *m);
CS_API struct cs_tensor cs_model_output(const cs_model *m, size_t k);

/* The inputs of row i's first call in the model, in the order its rule
 * takes them. */
CS_API size_t cs_model_layer_input_count(const cs_model *m, size_t i);
CS_API struct cs_tensor cs_model_layer_input(const cs_model *m, size_t i, size_t k);

/*
 * The graph.  A Functional model (model-format-graphs.md) prints its
 * inputs as InputLayer rows and its rows in Keras's depth order; a
 * Sequential model is a chain whose input has no row.
 */
CS_API int cs_model_is_functional(const cs_model *m);
/* Whether Keras's summary of the model has a "Connected to" column: a
 * Functional model that branches, merges or shares a layer. */
CS_API int cs_model_has_connections(const cs_model *m);
/* The row of input k, or SIZE_MAX when inputs have no rows (Sequential). */
CS_API size_t cs_model_input_row(const cs_model *m, size_t k);
/* The calls of row i's layer that belong to the model, in call order (an
 * InputLayer row has one call without inputs); call c's number among
 * all the layer's calls, and its input tensors. */
CS_API size_t cs_model_layer_call_count(const cs_model *m, size_t i);
CS_API size_t cs_model_layer_call_number(const cs_model *m, size_t i, size_t c);
CS_API size_t cs_model_layer_call_input_count(const cs_model *m, size_t i, size_t c);
CS_API struct cs_tensor cs_model_layer_call_input(const cs_model *m, size_t i, size_t c, size_t k);
/* Row i's outputs (of its last call): most layers have one, the shape in
 * cs_layer_info; a nested model may have several.  Returns output k's
 * rank (batch included) and sets *dims (batch first). */
CS_API size_t cs_model_layer_output_count(const cs_model *m, size_t i);
CS_API size_t cs_model_layer_output(const cs_model *m, size_t i, size_t k, const int64_t **dims);
/* Row i's dtype policy ("float32" unless the layer or the model sets
 * one), and its activation as the file names it (NULL when the file gives
 * none, or gives a configuration instead of a name). */
CS_API const char *cs_model_layer_dtype(const cs_model *m, size_t i);
CS_API const char *cs_model_layer_activation(const cs_model *m, size_t i);

/*
 * The audit's findings (README, "--audit"), with the audit load option:
 * things Keras accepts that are probably not what was meant, each at its
 * layer.  The message is owned by the model.
 */
CS_API size_t cs_model_warning_count(const cs_model *m);
CS_API const char *cs_model_warning(const cs_model *m, size_t i, unsigned *line, unsigned *column);

/*
 * Figures beyond Keras's summary, per layer and per sample (README,
 * "Figures" states each convention):
 *   macs              multiply-accumulates of convolutions and Dense,
 *                     bias excluded (the papers' and fvcore's count)
 *   mult_adds         torchinfo's mult-adds for one sample (README,
 *                     "--convention torchinfo"): each weight tensor's
 *                     elements times the output positions of a class named
 *                     *Conv*, times the output's positions of a Dense, and
 *                     once for any other layer with weights
 *                     (BatchNormalization's moving statistics are not
 *                     counted: PyTorch keeps them as buffers)
 *   other_ops         everything else: bias adds, activations, pooling,
 *                     normalisation
 *   activation_bytes  the layer's output for one sample
 *   receptive_field, effective_stride, effective_padding: per spatial
 *                     axis of the input (naxes of them; 0 when the layer's
 *                     output has none, or after a reshape)
 * A count is -1 when a size it needs is unknown (None).
 */
struct cs_figures {
	int64_t macs, flops, mult_adds, other_ops, activation_bytes;
	int naxes;
	double receptive_field[3], effective_stride[3], effective_padding[3];
	int kernel_rank;	/* convolution and pooling windows: */
	int64_t kernel[3], stride[3], dilation[3];
};

/*
 * torchinfo's footer for a batch of `batch` (README, "--convention
 * torchinfo"): its "Total mult-adds" (cs_figures.mult_adds summed, times
 * the batch), and its memory lines in bytes: the inputs, twice the outputs
 * of every layer with parameters (its forward/backward pass), the
 * parameters (BatchNormalization's moving statistics excluded, as PyTorch
 * keeps them as buffers) and their sum.  The input is its tensors' bytes:
 * torchinfo's also counts Python's object header of each input tensor (56
 * to 72 bytes, depending on the torch version).  A figure is -1 when a size
 * it needs is unknown or it overflows 64 bits.
 */
struct cs_torchinfo {
	int64_t mult_adds;
	int64_t input_bytes;
	int64_t forward_backward_bytes;
	int64_t params_bytes;
	int64_t total_bytes;
};
CS_API void cs_model_torchinfo(const cs_model *m, int64_t batch, struct cs_torchinfo *t);

/* 2 * macs, or -1 when macs is unknown or that overflows. */
CS_API int64_t cs_flops(int64_t macs);

/* The figures of layer i (0 <= i < cs_model_layer_count), each row on its
 * own: 0, or -1 past the end. */
CS_API int cs_model_layer_figures(const cs_model *m, size_t i, struct cs_figures *f);

struct cs_render_options {
	size_t size;		/* sizeof(struct cs_render_options); 0: this header's */
	int line_length;	/* 0: the format's default */
	const char *columns;	/* NULL: Keras's three; else a comma list (README) */
	int torchinfo;		/* torchinfo's mult-adds, for the batch, and its
				 * memory lines (README) */
	int64_t batch_size;	/* the batch of every batch figure (activation
				 * memory, torchinfo's), over the model's own
				 * batch_size; 0: the model's, else 1 */
	/* the pictures ("dot", "svg", "mermaid", "html"): */
	int left_to_right;	/* layers left to right; 0: top to bottom */
	unsigned show;		/* CS_SHOW_* bits: more in each node */
};

/* What a picture's nodes show besides name, class and shapes, as
 * plot_model's show_dtype, show_layer_activations, show_trainable; and
 * CS_SHOW_NESTED, its expand_nested: each sub-model drawn as a cluster of
 * its own layers instead of one node. */
#define CS_SHOW_DTYPE 1u
#define CS_SHOW_ACTIVATION 2u
#define CS_SHOW_TRAINABLE 4u
#define CS_SHOW_NESTED 8u

#define CS_RENDER_OPTIONS_INIT { sizeof(struct cs_render_options), 0, NULL, 0, 0, 0, 0 }

/*
 * Write the summary of m to out in the named format: "keras3" (the default
 * text), "keras2" (the classic tf.keras table), "json", "markdown", "csv",
 * or a picture of the architecture: "dot" (Graphviz), "svg" (laid out by
 * Graphviz's libraries when the library was built with them), "mermaid"
 * (a flowchart), "html" (one page: the table, the totals and the SVG).
 * Returns 0, or -1 with *err filled in: CS_ERR_ARGUMENT for an unknown
 * format, a line length out of range, an unknown column, or "svg" in a
 * library built without Graphviz; CS_ERR_IO for a write error,
 * CS_ERR_MEMORY.
 */
CS_API int cs_render(const cs_model *m, const char *format,
	      const struct cs_render_options *opt, FILE *out,
	      struct cs_error *err);

/* The format names cs_render() knows, NULL-terminated; static storage. */
CS_API const char *const *cs_format_names(void);

/*
 * Compare two models layer by layer and write what was added, removed or
 * changed (output shape, parameter count) and the change in the totals,
 * in format "text", "markdown" or "json".  Layers are paired by a longest
 * common subsequence of their classes (and explicit names), so inserting
 * a layer shows as one addition even when automatic names shift.
 * *differ is set when anything differs.  Returns 0, or -1 with *err.
 */
CS_API int cs_diff(const cs_model *old_model, const char *old_label,
	    const cs_model *new_model, const char *new_label,
	    const char *format, FILE *out, int *differ, struct cs_error *err);

/*
 * Keras's own files.  cs_model_load_file() and the others read them too,
 * recognised by content: a zip is a .keras archive (its config.json; the
 * weights are never read), a JSON object with a "class_name" is a Keras
 * config (model.to_json()), anything else is our YAML.  Errors point into
 * the JSON ("model.keras:config.json" inside an archive, whose file name
 * cs_error.file then carries).
 */

/*
 * Convert the Keras archive or config at path ("-": the standard input)
 * into our YAML: names kept, the arguments that change a shape or a count
 * (plus trainable and dtype), graph keys for a Functional model, and a
 * first comment line saying where it came from.  The YAML is loaded once
 * to check it, so it summarises exactly as the file does.  Returns 0 with
 * *yaml (NUL-terminated, *len bytes; the caller frees it with free()), or
 * -1 with *err filled in (CS_ERR_MODEL also when the file is not Keras's).
 */
CS_API int cs_keras_convert_file(const char *path, char **yaml, size_t *len, struct cs_error *err);

/* The Keras version that saved the model's .keras archive (its
 * metadata.json), or NULL when the model came from elsewhere. */
CS_API const char *cs_model_keras_version(const cs_model *m);

#ifdef __cplusplus
}
#endif

#endif
