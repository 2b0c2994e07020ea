/* A whole decoder step of a seqloom encoder-decoder in one call: embedding rows
 * of the previous tokens → every recurrent layer → attention → output logits,
 * with a pending beam reorder applied in the same call (rows continue parent
 * rows of the previous step).
 *
 * The model (ds_model) holds pointers into the caller's weight buffers (kept
 * alive by references, never copied); a session (ds_session) holds one batch's
 * recurrent state, attention memory and scratch, reused every step. */
#ifndef SEQLOOM_DECODE_STEP_H
#define SEQLOOM_DECODE_STEP_H

#include <stddef.h>
#include <stdint.h>

#include "args.h"

enum ds_cell { DS_LSTM = 0, DS_GRU = 1, DS_RNN = 2, DS_RELU = 3 };
enum ds_attention { DS_NONE = 0, DS_DOT = 1, DS_GENERAL = 2, DS_BAHDANAU = 3 };
/* Output projection: untied kernel [H, V]; tied to the embedding [V, E] (E = H);
 * tied after a projection [H, E]. */
enum ds_output { DS_UNTIED = 0, DS_TIED = 1, DS_TIED_PROJECTED = 2 };

/* Index of a weight in ds_model.w: the embedding, four per layer, then the rest. */
#define DS_W_EMBEDDING 0
#define DS_W_LAYER(l, k) (1 + 4 * (l) + (k)) /* k: 0 kernel, 1 recurrent, 2 bias, 3 recurrent bias (GRU) */
#define DS_W_TAIL(layers, k) (1 + 4 * (layers) + (k))
enum ds_tail { DS_MEMORY_KERNEL, DS_QUERY_KERNEL, DS_SCORE, DS_COMBINE, DS_OUT_KERNEL, DS_TIE_PROJECTION, DS_OUT_BIAS, DS_TAIL_COUNT };
#define DS_WEIGHT_COUNT(layers) (1 + 4 * (layers) + DS_TAIL_COUNT)

typedef struct {
  int cell, gates, attention, feeding, output;
  int64_t layers, E, H, V;
  const float **w; /* DS_WEIGHT_COUNT(layers) pointers, NULL where the model has no such weight */
  float *table;    /* optional [V, G·H]: embedding · layer 0's embedding rows + bias */
} ds_model;

typedef struct {
  const ds_model *model;
  int64_t batch, S;  /* encoded rows and source length */
  float *memory;     /* [batch, S, H] encoder outputs */
  float *keys;       /* [batch, S, H] memory · W (general, bahdanau) */
  int32_t *lengths;  /* [batch] real source positions per encoded row */
  int64_t rows, cap; /* live rows; rows the buffers hold */
  int64_t slabs;     /* state slabs of [cap, H]: per layer h (and c), then the fed-back vector */
  int32_t *source;   /* [cap] encoded row of each live row */
  float *state, *next; /* 2 × slabs·cap·H: this step's state and the one being written */
  int32_t *parent, *position, *unique, *mark, *source_next; /* [cap] reorder bookkeeping */
  float *input, *gates, *product, *distinct, *act, *joined, *query, *attended, *projected; /* scratch */
} ds_session;

/* Sizes every buffer for `rows` live rows (keeps the live state); 0 when out of memory. */
int ds_session_reserve(ds_session *s, int64_t rows);
/* Frees a session's buffers (the struct itself is the caller's). */
void ds_session_release(ds_session *s);
/* Builds the model's [V, G·H] input table; 0 when out of memory. */
int ds_model_table(ds_model *m);
/* Precomputes the attention keys of a session whose memory is set; 0 when out of memory. */
int ds_session_keys(ds_session *s);
/* One step for ids.length = n rows, row i continuing old row parent[i] (checked by the caller).
 * Writes logits [n, V] and, with attention and weights non-NULL, weights [n, S]. */
void ds_step(ds_session *s, const int32_t *ids, const int32_t *parent, int64_t n, float *logits, float *weights);


/* The JavaScript handles: a model and a session, told apart by their first word. */
#define DS_MODEL_MAGIC 0x5344534du
#define DS_SESSION_MAGIC 0x53445353u
#define DS_MAX_DIM (1 << 24)

typedef struct {
  uint32_t magic;
  ds_model m;
  napi_ref *refs; /* one per weight the model uses: keeps its buffer alive */
  int64_t count;
} ds_model_box;

typedef struct {
  uint32_t magic;
  ds_session s;
  napi_ref model_ref; /* keeps the model alive while the session lives */
  int freed;
} ds_session_box;

/* Throws a RangeError "@seqloom/native fn: message"; returns 0. */
int ds_fail(napi_env env, const char *fn, const char *message);
/* *out = a·b·c, or 0 after throwing (naming `what`) when it overflows size_t. */
int ds_product3(napi_env env, const char *fn, const char *what, int64_t a, int64_t b, int64_t c, size_t *out);
/* count·width bytes on a 64-byte boundary, freed with free (NULL on overflow or when out of memory). */
void *ds_alloc(size_t count, size_t width);
/* The handle's box when `value` is a handle with that magic; NULL after throwing otherwise. */
void *ds_unwrap(napi_env env, napi_value value, uint32_t magic, const char *fn, const char *name);

napi_value decode_step_model(napi_env env, napi_callback_info info);
napi_value decode_step_session(napi_env env, napi_callback_info info);
napi_value decode_step(napi_env env, napi_callback_info info);
napi_value decode_step_free(napi_env env, napi_callback_info info);

#endif
