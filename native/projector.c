// The batch projector of src/har/stream/project.ts, in C for WebAssembly (built by scripts/build-wasm.mjs into
// src/har/stream/projector-wasm.ts). Same input, same output bytes, same cut list: project.ts is the reference, and
// test/stream/wasm.test.ts holds the two to that on every sample, fixture, corpus capture and generated batch.
// Where it is not sure to match (an escaped or non-ASCII key or header name, a control character in a header
// value, invalid UTF-8, a shape it does not know) it gives up on the batch and the JS projector takes it.
//
// Memory: the caller writes the batch at `in`, and passes room for the output and the cut list. No allocation.
#include <wasm_simd128.h>

typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long long u64;

// No libc: memcpy becomes the bulk-memory instruction (-mbulk-memory); memcmp is ours.
static int keyEq(const char *a, const u8 *b, u32 len) {
  for (u32 k = 0; k < len; k++)
    if ((u8)a[k] != b[k]) return 0;
  return 1;
}

#define FAIL 0xFFFFFFFFu
#define CK(x)                \
  do {                       \
    if ((x) == FAIL) return FAIL; \
  } while (0)

enum { SKIP, KEEP, CUT, OBJECT, HEADERS, FRAMES };

typedef struct Schema Schema;
typedef struct {
  const char *key;
  u32 len;
  int action;
  const Schema *sub;
} Key;
struct Schema {
  int other;
  int nonEmpty;
  const Key *keys;
  int nkeys;
};

#define K(s, a, sub) {s, sizeof(s) - 1, a, sub}

static const Key CONTENT_KEYS[] = {K("text", CUT, 0)};
static const Schema CONTENT = {KEEP, 0, CONTENT_KEYS, 1};
static const Key TIMINGS_KEYS[] = {K("blocked", KEEP, 0), K("dns", KEEP, 0), K("connect", KEEP, 0), K("ssl", KEEP, 0),
                                   K("send", KEEP, 0),    K("wait", KEEP, 0), K("receive", KEEP, 0)};
static const Schema TIMINGS = {SKIP, 1, TIMINGS_KEYS, 7};
static const Key POST_KEYS[] = {K("text", CUT, 0)};
static const Schema POST_DATA = {SKIP, 0, POST_KEYS, 1};
static const Key FRAME_KEYS[] = {K("data", CUT, 0)};
static const Schema FRAME = {KEEP, 0, FRAME_KEYS, 1};
static const Key REQUEST_KEYS[] = {K("url", KEEP, 0),        K("method", KEEP, 0),  K("httpVersion", KEEP, 0),
                                   K("headersSize", KEEP, 0), K("headers", HEADERS, 0), K("postData", OBJECT, &POST_DATA)};
static const Schema REQUEST = {SKIP, 0, REQUEST_KEYS, 6};
static const Key RESPONSE_KEYS[] = {K("status", KEEP, 0),      K("statusText", KEEP, 0),   K("httpVersion", KEEP, 0),
                                    K("bodySize", KEEP, 0),    K("headersSize", KEEP, 0),  K("_error", KEEP, 0),
                                    K("_failureText", KEEP, 0), K("_wasAborted", KEEP, 0), K("headers", HEADERS, 0),
                                    K("content", OBJECT, &CONTENT)};
static const Schema RESPONSE = {SKIP, 0, RESPONSE_KEYS, 10};
static const Key ENTRY_KEYS[] = {
    K("startedDateTime", KEEP, 0), K("time", KEEP, 0),         K("timings", OBJECT, &TIMINGS), K("_error", KEEP, 0),
    K("_failureText", KEEP, 0),    K("_wasAborted", KEEP, 0),  K("_resourceType", KEEP, 0),   K("_was_pushed", KEEP, 0),
    K("_wasPushed", KEEP, 0),      K("_fromCache", KEEP, 0),   K("_fetchType", KEEP, 0),      K("pageref", KEEP, 0),
    K("connection", KEEP, 0),      K("request", OBJECT, &REQUEST), K("response", OBJECT, &RESPONSE),
    K("_webSocketMessages", FRAMES, 0), K("_eventSourceMessages", FRAMES, 0)};
static const Schema ENTRY = {SKIP, 0, ENTRY_KEYS, 17};

// Strings shorter than this are left to JSON.parse (project.ts CUT_MIN).
#define CUT_MIN 128
// Keys are plain only below this length (project.ts strEnd's fast loop).
#define KEY_MAX 96

static const u8 *src;
static u32 n;
static u8 *out;
static u32 o;
static u32 ocap;
static u32 *cuts;
static u32 ncuts;
static u32 cutcap;
static int lean;
static u32 count;

// Kept header names and prefixes (lower case), set once by the caller: "name\0name\0...\0\0" then prefixes likewise.
static u8 kept[1024];
static u32 keptLen;
// Parsed by setKept: offset and length of each name and prefix, and which first letters can match at all.
static u32 nameAt[64], nameLen[64], nNames;
static u32 prefixAt[64], prefixLen[64], nPrefixes;
static u8 mayKeep[256];

// Set by strEnd: the string had a backslash (1) and/or a byte >= 0x80 (2).
static int special;

static inline int isWs(u8 c) { return c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09; }

static u32 ws(u32 i) {
  // Pretty-printed files indent with runs of spaces: skip them 16 at a time.
  while (i < n && isWs(src[i])) {
    i++;
    while (i + 16 <= n) {
      v128_t v = wasm_v128_load(src + i);
      int spaces = wasm_i8x16_bitmask(wasm_i8x16_eq(v, wasm_i8x16_splat(' ')));
      if (spaces != 0xffff) {
        i += (u32)__builtin_ctz((unsigned)~spaces);
        break;
      }
      i += 16;
    }
  }
  return i;
}

static inline u32 room(u32 k) { return o + k <= ocap ? 0 : FAIL; }

static u32 copy(u32 from, u32 to) {
  u32 k = to - from;
  if (room(k) == FAIL) return FAIL;
  __builtin_memcpy(out + o, src + from, k);
  o += k;
  return 0;
}

static inline u32 put(u8 c) {
  if (o >= ocap) return FAIL;
  out[o++] = c;
  return 0;
}

static u32 putStr(const char *s) {
  while (*s) CK(put((u8)*s++));
  return 0;
}

static u32 putNum(u64 v) {
  char buf[24];
  int k = 0;
  do {
    buf[k++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (k) CK(put((u8)buf[--k]));
  return 0;
}

/** `i` at an opening quote: the index just after the closing quote. Sets `special`. */
static u32 strEnd(u32 i) {
  u32 j = i + 1;
  int sp = 0;
  const v128_t quote = wasm_i8x16_splat('"');
  const v128_t slash = wasm_i8x16_splat('\\');
  for (;;) {
    // 16 bytes at a time while there is neither a quote nor a backslash (a high bit is only noted).
    while (j + 16 <= n) {
      v128_t v = wasm_v128_load(src + j);
      int stop = wasm_i8x16_bitmask(wasm_v128_or(wasm_i8x16_eq(v, quote), wasm_i8x16_eq(v, slash)));
      int high = wasm_i8x16_bitmask(v);
      // Only the bytes before the stop belong to this string.
      if (stop) high &= (stop & -stop) - 1;
      if (high) sp |= 2;
      if (stop) {
        j += (u32)__builtin_ctz((unsigned)stop);
        break;
      }
      j += 16;
    }
    if (j >= n) return FAIL;
    u8 c = src[j];
    if (c == '"') {
      special = sp;
      return j + 1;
    }
    if (c == '\\') {
      sp |= 1;
      j += 2;
      if (j >= n) return FAIL;
      continue;
    }
    if (c & 0x80) sp |= 2;
    j += 1;
  }
}

static u8 depthStack[4096];

static u32 nestEnd(u32 i) {
  u32 depth = 0;
  u32 j = i;
  while (j < n) {
    // Jump to the next quote or bracket, 16 bytes at a time.
    while (j + 16 <= n) {
      v128_t v = wasm_v128_load(src + j);
      // '{' 0x7b, '}' 0x7d, '[' 0x5b, ']' 0x5d: equal to 0x5b or 0x5d after clearing bit 0x20; '"' 0x22.
      v128_t folded = wasm_v128_and(v, wasm_i8x16_splat((char)0xdf));
      v128_t hit = wasm_v128_or(wasm_v128_or(wasm_i8x16_eq(folded, wasm_i8x16_splat(0x5b)), wasm_i8x16_eq(folded, wasm_i8x16_splat(0x5d))),
                                wasm_i8x16_eq(v, wasm_i8x16_splat('"')));
      int mask = wasm_i8x16_bitmask(hit);
      if (mask) {
        j += (u32)__builtin_ctz((unsigned)mask);
        break;
      }
      j += 16;
    }
    if (j >= n) break;
    u8 c = src[j++];
    if (c == '"') {
      u32 e = strEnd(j - 1);
      CK(e);
      j = e;
    } else if (c == '{' || c == '[') {
      if (depth >= sizeof(depthStack)) return FAIL;
      depthStack[depth++] = c;
    } else if (c == '}' || c == ']') {
      if (depth == 0 || depthStack[--depth] != c - 2) return FAIL;
      if (depth == 0) return j;
    }
  }
  return FAIL;
}

/** `i` at the start of any value: the index just after it. */
static u32 valEnd(u32 i) {
  if (i >= n) return FAIL;
  u8 c = src[i];
  if (c == '"') return strEnd(i);
  if (c == '{' || c == '[') return nestEnd(i);
  if (!((c >= '0' && c <= '9') || c == '-' || c == 't' || c == 'f' || c == 'n')) return FAIL;
  u32 j = i + 1;
  while (j < n) {
    u8 d = src[j];
    if (d == ',' || d == '}' || d == ']' || isWs(d)) return j;
    j++;
  }
  return FAIL;
}

enum { MORE, DONE, BAD };

/** After a value: past the comma and the whitespace after it (MORE), at the closing `close` (DONE), or BAD. */
static int after(u32 *pi, u8 close) {
  u32 i = ws(*pi);
  if (i >= n) return BAD;
  if (src[i] == ',') {
    *pi = ws(i + 1);
    return MORE;
  }
  *pi = i;
  return src[i] == close ? DONE : BAD;
}

static const Key *lookup(const Schema *sc, u32 s, u32 e) {
  u32 len = e - s;
  for (int k = 0; k < sc->nkeys; k++) {
    const Key *key = &sc->keys[k];
    if (key->len == len && keyEq(key->key, src + s, len)) return key;
  }
  return 0;
}

static u32 putKey(int first, u32 ks, u32 ke) {
  if (!first) CK(put(','));
  CK(copy(ks, ke));
  return put(':');
}

/** A key's string: the index after it, or FAIL when it is escaped, non-ASCII or long (project.ts bails there). */
static u32 plainKey(u32 i) {
  if (i >= n || src[i] != '"') return FAIL;
  u32 e = strEnd(i);
  CK(e);
  if (special != 0 || e - i - 2 >= KEY_MAX) return FAIL;
  return e;
}

static u32 object(u32 i, const Schema *sc);
static u32 headers(u32 i);
static u32 frames(u32 i);

static u32 object(u32 i, const Schema *sc) {
  CK(put('{'));
  int first = 1;
  int sawHeaders = 0;
  i = ws(i + 1);
  if (i < n && src[i] == '}') {
    CK(put('}'));
    return i + 1;
  }
  for (;;) {
    u32 ks = i;
    u32 ke = plainKey(i);
    CK(ke);
    const Key *hit = lookup(sc, ks + 1, ke - 1);
    int action = hit ? hit->action : sc->other;
    i = ws(ke);
    if (i >= n || src[i] != ':') return FAIL;
    i = ws(i + 1);
    if (i >= n) return FAIL;
    u32 vs = i;
    u8 c = src[i];
    switch (action) {
      case SKIP:
        i = valEnd(i);
        CK(i);
        break;
      case CUT:
        i = valEnd(i);
        CK(i);
        CK(putKey(first, ks, ke));
        first = 0;
        if (c == '"' && i - 1 - (vs + 1) >= CUT_MIN) {
          if (ncuts >= cutcap) return FAIL;
          CK(putStr("\"\\u0000cut:"));
          CK(putNum(ncuts));
          CK(put('"'));
          cuts[2 * ncuts] = vs + 1;
          cuts[2 * ncuts + 1] = i - 1;
          ncuts++;
        } else
          CK(copy(vs, i));
        break;
      case OBJECT:
      case HEADERS:
      case FRAMES:
        if (action == HEADERS) {
          if (sawHeaders) return FAIL;
          sawHeaders = 1;
        }
        CK(putKey(first, ks, ke));
        first = 0;
        // Projected when it has the expected shape, copied as it stands otherwise.
        if (action == OBJECT && c == '{')
          i = object(i, hit->sub);
        else if (action == HEADERS && lean && c == '[')
          i = headers(i);
        else if (action == FRAMES && c == '[')
          i = frames(i);
        else {
          u32 e = valEnd(i);
          CK(e);
          CK(copy(vs, e));
          i = e;
        }
        CK(i);
        break;
      default:
        i = valEnd(i);
        CK(i);
        CK(putKey(first, ks, ke));
        first = 0;
        CK(copy(vs, i));
    }
    int k = after(&i, '}');
    if (k == MORE) continue;
    if (k == BAD) return FAIL;
    if (first && sc->nonEmpty) CK(putStr("\"\\u0000\":0"));
    CK(put('}'));
    return i + 1;
  }
}

static u32 frames(u32 i) {
  CK(put('['));
  i = ws(i + 1);
  if (i < n && src[i] == ']') {
    CK(put(']'));
    return i + 1;
  }
  int first = 1;
  for (;;) {
    if (i >= n) return FAIL;
    if (!first) CK(put(','));
    first = 0;
    if (src[i] == '{') {
      i = object(i, &FRAME);
      CK(i);
    } else {
      u32 vs = i;
      i = valEnd(i);
      CK(i);
      CK(copy(vs, i));
    }
    int k = after(&i, ']');
    if (k == MORE) continue;
    if (k == BAD) return FAIL;
    CK(put(']'));
    return i + 1;
  }
}

static inline u8 lower(u8 c) { return c >= 'A' && c <= 'Z' ? c + 0x20 : c; }

static int lowerEq(u32 s, u32 at, u32 len) {
  for (u32 j = 0; j < len; j++)
    if (lower(src[s + j]) != kept[at + j]) return 0;
  return 1;
}

/** keepHeader() on a plain ASCII name. */
static int keepPlainName(u32 s, u32 e) {
  u32 len = e - s;
  if (len == 0 || !mayKeep[src[s]]) return 0;
  for (u32 k = 0; k < nNames; k++)
    if (nameLen[k] == len && lowerEq(s, nameAt[k], len)) return 1;
  for (u32 k = 0; k < nPrefixes; k++)
    if (prefixLen[k] <= len && lowerEq(s, prefixAt[k], prefixLen[k])) return 1;
  return 0;
}

static const signed char HEXV[256] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1,
    ['E'] = 1, ['F'] = 1};

/**
 * The strict UTF-8 sequence at p[j] (a byte >= 0x80), ending before `end`: its length in bytes, with its code point in
 * *cp; 0 where a decoder would write a replacement character (bad lead or continuation byte, cut off, overlong,
 * surrogate, beyond U+10FFFF).
 */
static u32 utf8Seq(const u8 *p, u32 j, u32 end, u32 *cp) {
  u8 c = p[j];
  u32 need;
  u32 v;
  if (c >= 0xc2 && c <= 0xdf) need = 1, v = c & 0x1f;
  else if (c >= 0xe0 && c <= 0xef) need = 2, v = c & 0x0f;
  else if (c >= 0xf0 && c <= 0xf4) need = 3, v = c & 0x07;
  else return 0;
  if (j + need >= end) return 0;
  for (u32 k = 1; k <= need; k++) {
    u8 t = p[j + k];
    if ((t & 0xc0) != 0x80) return 0;
    v = (v << 6) | (t & 0x3f);
  }
  if ((need == 2 && (v < 0x800 || (v >= 0xd800 && v <= 0xdfff))) || (need == 3 && (v < 0x10000 || v > 0x10ffff))) return 0;
  *cp = v;
  return need + 1;
}

/**
 * Length in UTF-16 code units of the JSON string whose content is src[s, e), as JavaScript would count it after
 * parsing; FAIL on a control character, a bad escape or invalid UTF-8 (the JS projector decides those).
 */
static u32 strLength(u32 s, u32 e) {
  u32 len = 0;
  u32 j = s;
  while (j < e) {
    u8 c = src[j];
    if (c < 0x20) return FAIL;
    if (c == '\\') {
      u8 d = j + 1 < e ? src[j + 1] : 0;
      if (d == 'u') {
        if (j + 6 > e) return FAIL;
        for (u32 k = j + 2; k < j + 6; k++)
          if (!HEXV[src[k]]) return FAIL;
        j += 6;
      } else if (d == '"' || d == '\\' || d == '/' || d == 'b' || d == 'f' || d == 'n' || d == 'r' || d == 't')
        j += 2;
      else
        return FAIL;
      len += 1;
    } else if (c < 0x80) {
      j += 1;
      len += 1;
    } else {
      // Strict UTF-8: anything a decoder would replace is left to the JS projector.
      u32 cp;
      u32 k = utf8Seq(src, j, e, &cp);
      if (k == 0) return FAIL;
      j += k;
      len += k == 4 ? 2 : 1;
    }
  }
  return len;
}

static inline int at(u32 j, const char *lit) {
  for (u32 k = 0; lit[k]; k++)
    if (j + k >= n || src[j + k] != (u8)lit[k]) return 0;
  return 1;
}

// What fastHeader found.
static u32 hNs, hNe, hVs, hVe;
static int hNsp, hVsp;

/** `i` at `{`: a header written {"name": "…", "value": "…"}; the index after it, or FAIL when not that form. */
static u32 fastHeader(u32 i) {
  u32 j = ws(i + 1);
  if (!at(j, "\"name\"")) return FAIL;
  j = ws(j + 6);
  if (j >= n || src[j] != ':') return FAIL;
  j = ws(j + 1);
  if (j >= n || src[j] != '"') return FAIL;
  u32 e = strEnd(j);
  if (e == FAIL) return FAIL;
  hNs = j + 1;
  hNe = e - 1;
  hNsp = special;
  j = ws(e);
  if (j >= n || src[j] != ',') return FAIL;
  j = ws(j + 1);
  if (!at(j, "\"value\"")) return FAIL;
  j = ws(j + 7);
  if (j >= n || src[j] != ':') return FAIL;
  j = ws(j + 1);
  if (j >= n || src[j] != '"') return FAIL;
  e = strEnd(j);
  if (e == FAIL) return FAIL;
  hVs = j + 1;
  hVe = e - 1;
  hVsp = special;
  j = ws(e);
  if (j >= n || src[j] != '}') return FAIL;
  return j + 1;
}

static u32 headers(u32 i) {
  CK(put('['));
  u64 sum = 0;
  u32 hcount = 0;
  int firstKept = 1;
  i = ws(i + 1);
  if (i < n && src[i] == ']')
    i += 1;
  else {
    for (;;) {
      if (i >= n || src[i] != '{') return FAIL;
      u32 hs = i;
      long long ns = -1, ne = -1, vs = -1, ve = -1;
      int nameSpecial = 0, valueSpecial = 0;
      u32 fe = fastHeader(i);
      if (fe != FAIL) {
        ns = hNs, ne = hNe, vs = hVs, ve = hVe, nameSpecial = hNsp, valueSpecial = hVsp;
        i = fe;
      } else {
        i = ws(i + 1);
        if (i >= n) return FAIL;
        if (src[i] != '}') {
          for (;;) {
            u32 ke = plainKey(i);
            CK(ke);
            u32 ks = i + 1;
            u32 kend = ke - 1;
            i = ws(ke);
            if (i >= n || src[i] != ':') return FAIL;
            i = ws(i + 1);
            u32 atv = i;
            i = valEnd(i);
            CK(i);
            if (kend - ks == 4 && keyEq("name", src + ks, 4)) {
              if (ns >= 0 || src[atv] != '"') return FAIL;
              ns = atv + 1, ne = i - 1, nameSpecial = special;
            } else if (kend - ks == 5 && keyEq("value", src + ks, 5)) {
              if (vs >= 0 || src[atv] != '"') return FAIL;
              vs = atv + 1, ve = i - 1, valueSpecial = special;
            }
            int k = after(&i, '}');
            if (k == MORE) continue;
            if (k == BAD) return FAIL;
            break;
          }
        }
        i += 1;
      }
      hcount += 1;
      u32 nameLen = 0;
      int keep = 0;
      if (ns >= 0) {
        // Escaped or non-ASCII names are decoded by the JS projector.
        if (nameSpecial != 0) return FAIL;
        nameLen = (u32)(ne - ns);
        keep = keepPlainName((u32)ns, (u32)ne);
      }
      u32 valueLen = 0;
      if (vs >= 0) {
        if (valueSpecial == 0) {
          // Plain ASCII; a control character would make the JS projector's count differ in edge cases: leave those.
          for (u32 k = (u32)vs; k < (u32)ve; k++)
            if (src[k] < 0x20) return FAIL;
          valueLen = (u32)(ve - vs);
        } else {
          valueLen = strLength((u32)vs, (u32)ve);
          CK(valueLen);
        }
      }
      sum += (u64)nameLen + valueLen + 4;
      if (keep) {
        if (!firstKept) CK(put(','));
        firstKept = 0;
        CK(copy(hs, i));
      }
      int k = after(&i, ']');
      if (k == MORE) continue;
      if (k == BAD) return FAIL;
      i += 1;
      break;
    }
  }
  CK(put(']'));
  CK(putStr(",\"\\u0000hb\":["));
  CK(putNum(sum));
  CK(put(','));
  CK(putNum(hcount));
  CK(put(']'));
  return i;
}

// ---- ASCII output ----
// A projection holds non-ASCII bytes only inside strings (JSON has no other place for them). Written as \u escapes,
// the text is ASCII: JS makes a one-byte string of it by a plain copy, and JSON.parse reads one-byte text faster.
// Decoding UTF-8 into a two-byte string cost more than parsing the whole projection. project.ts asciiText() is
// the reference.

static const char HEXD[] = "0123456789abcdef";

static u32 putU(u8 *w, u32 cp) {
  w[0] = '\\';
  w[1] = 'u';
  w[2] = (u8)HEXD[(cp >> 12) & 15];
  w[3] = (u8)HEXD[(cp >> 8) & 15];
  w[4] = (u8)HEXD[(cp >> 4) & 15];
  w[5] = (u8)HEXD[cp & 15];
  return 6;
}

/**
 * `len` bytes at `in` with every UTF-8 sequence written as \u escapes (a surrogate pair above U+FFFF) into `outp`
 * (room for `cap` bytes): the new length; FAIL on invalid UTF-8 or too little room (then the text is used as it is:
 * a decoder's replacement characters are not ours to guess). The caller tests for ASCII first.
 */
__attribute__((export_name("asciiText"))) u32 asciiText(const u8 *in, u32 len, u8 *outp, u32 cap) {
  u32 i = 0;
  u32 w = 0;
  for (;;) {
    u32 j = i;
    while (j + 16 <= len && wasm_i8x16_bitmask(wasm_v128_load(in + j)) == 0) j += 16;
    while (j < len && in[j] < 0x80) j++;
    if (w + (j - i) > cap) return FAIL;
    __builtin_memcpy(outp + w, in + i, j - i);
    w += j - i;
    if (j >= len) return w;
    u32 cp;
    u32 k = utf8Seq(in, j, len, &cp);
    if (k == 0 || w + 12 > cap) return FAIL;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      w += putU(outp + w, 0xd800 + (cp >> 10));
      w += putU(outp + w, 0xdc00 + (cp & 0x3ff));
    } else
      w += putU(outp + w, cp);
    i = j + k;
  }
}

// ---- exports ----

__attribute__((export_name("keptBuffer"))) u8 *keptBuffer(void) { return kept; }
__attribute__((export_name("setKept"))) void setKept(u32 len) {
  keptLen = len;
  u32 p = 0;
  nNames = nPrefixes = 0;
  for (int list = 0; list < 2; list++) {
    while (p < keptLen && kept[p]) {
      u32 l = 0;
      while (kept[p + l]) l++;
      if (list == 0 && nNames < 64) nameAt[nNames] = p, nameLen[nNames++] = l;
      if (list == 1 && nPrefixes < 64) prefixAt[nPrefixes] = p, prefixLen[nPrefixes++] = l;
      mayKeep[kept[p]] = 1;
      if (kept[p] >= 'a' && kept[p] <= 'z') mayKeep[kept[p] - 0x20] = 1;
      p += l + 1;
    }
    p++;
  }
}
__attribute__((export_name("resultCount"))) u32 resultCount(void) { return count; }
__attribute__((export_name("resultCuts"))) u32 resultCuts(void) { return ncuts; }

/**
 * Projects the batch at `in` (`len` bytes) into `outp` (room for `outCap` bytes), cut strings as [start, end) pairs
 * into `cutp` (room for `cutCap` pairs). Returns the output length, or FAIL when the JS projector must decide.
 */
__attribute__((export_name("project"))) u32 project(const u8 *in, u32 len, u8 *outp, u32 outCap, u32 *cutp, u32 cutCap, int leanMode) {
  src = in;
  n = len;
  out = outp;
  o = 0;
  ocap = outCap;
  cuts = cutp;
  ncuts = 0;
  cutcap = cutCap;
  lean = leanMode;
  count = 0;
  CK(put('['));
  u32 i = ws(0);
  if (i < n) {
    for (;;) {
      if (src[i] != '{') return FAIL;
      if (count > 0) CK(put(','));
      i = object(i, &ENTRY);
      CK(i);
      count += 1;
      i = ws(i);
      if (i >= n) break;
      if (src[i] != ',') return FAIL;
      i = ws(i + 1);
      if (i >= n) return FAIL;
    }
  }
  CK(put(']'));
  return o;
}
